"""`tradewire feeds ...`: the feed list and each feed's state."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

import click
from rich.table import Table

from tradewire.core.durations import format_duration, parse_duration
from tradewire.ingest import __version__
from tradewire.ingest.cli.common import console, load
from tradewire.ingest.cli.times import ago, ahead
from tradewire.ingest.configuration import editable_config_path
from tradewire.ingest.errors import FetchError
from tradewire.ingest.feeds.discover import COMMON_PATHS, announced_feeds
from tradewire.ingest.feeds.opml import OpmlError, read_opml, write_opml
from tradewire.ingest.feeds.parse import parse_feed
from tradewire.ingest.feeds.registry import FeedConfig, add_feed, remove_feed
from tradewire.ingest.feeds.status import feed_status
from tradewire.ingest.fetch import Fetcher
from tradewire.ingest.fetch.urls import origin
from tradewire.ingest.state import State


@click.group("feeds")
def feeds() -> None:
    """List, add, remove, import and export feeds; show their state."""


def _feeds_file(ctx: click.Context) -> Path:
    """The feeds.yaml that edits go to: the config directory's own (created from the shipped one if missing)."""
    config_dir = ctx.find_root().obj["config_dir"]
    return editable_config_path(Path(config_dir) if config_dir is not None else None, "feeds.yaml")


@feeds.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def list_feeds(ctx: click.Context, as_json: bool) -> None:
    """The configured feeds."""
    config = load(ctx)
    if as_json:
        console.print_json(json.dumps([feed.model_dump(mode="json") | {"url": feed.display_url} for feed in config.feeds], default=str))
        return
    table = Table("name", "enabled", "interval", "tags", "url", box=None)
    for feed in config.feeds:
        interval = format_duration(feed.interval) if feed.interval else "default"
        table.add_row(feed.name, "yes" if feed.enabled else "no", interval, ", ".join(feed.tags), feed.display_url)
    console.print(table)


@feeds.command("add")
@click.argument("name")
@click.argument("url")
@click.option("--title", help="A readable title.")
@click.option("--tag", "tags", multiple=True, help="A label for the feed (repeatable).")
@click.option("--interval", help="Polling interval, e.g. 15m.")
@click.pass_context
def add(ctx: click.Context, name: str, url: str, title: str | None, tags: tuple[str, ...], interval: str | None) -> None:
    """Add a feed to feeds.yaml."""
    try:
        feed = FeedConfig(name=name, url=url, title=title, tags=list(tags), interval=parse_duration(interval) if interval else None)
        path = _feeds_file(ctx)
        add_feed(path, feed)
    except ValueError as error:
        raise click.ClickException(str(error).splitlines()[-1] if "validation error" in str(error) else str(error)) from None
    console.print(f"added feed {name} to {path}", markup=False)


@feeds.command("remove")
@click.argument("name")
@click.pass_context
def remove(ctx: click.Context, name: str) -> None:
    """Remove a feed from feeds.yaml (its articles stay in the index)."""
    path = _feeds_file(ctx)
    try:
        remove_feed(path, name)
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    console.print(f"removed feed {name} from {path}", markup=False)


@feeds.command("import-opml")
@click.argument("file", type=click.File("rb"))
@click.pass_context
def import_opml(ctx: click.Context, file) -> None:  # type: ignore[no-untyped-def]
    """Add every feed of an OPML file (feeds whose URL is already present are skipped)."""
    config = load(ctx)
    try:
        opml = read_opml(file.read())
    except OpmlError as error:
        raise click.ClickException(str(error)) from None
    for reason in opml.skipped:
        console.print(f"skipped {reason}", markup=False)
    found = opml.feeds
    path = _feeds_file(ctx)
    urls = {feed.url for feed in config.feeds}
    names = {feed.name for feed in config.feeds}
    added = 0
    for feed in found:
        if feed.url in urls:
            continue
        while feed.name in names:
            feed = feed.model_copy(update={"name": feed.name + "-2"})
        add_feed(path, feed)
        urls.add(feed.url)
        names.add(feed.name)
        added += 1
    console.print(f"imported {added} of {len(found)} feeds into {path}", markup=False)


@feeds.command("export-opml")
@click.argument("file", type=click.File("w"), default="-")
@click.pass_context
def export_opml(ctx: click.Context, file) -> None:  # type: ignore[no-untyped-def]
    """Write the feed list as OPML (to FILE or standard output)."""
    file.write(write_opml(load(ctx).feeds))


@feeds.command("status")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def status(ctx: click.Context, as_json: bool) -> None:
    """Each feed's last fetch, outcome, error, failures and next poll."""
    config = load(ctx)
    rows = feed_status(config)
    if as_json:
        console.print_json(json.dumps(rows, default=str))
        return
    table = Table("feed", "state", "last fetch", "next poll", "failures", "new", "last error / note", box=None)
    for row in rows:
        table.add_row(
            row["name"], row["state"], ago(row["last_fetch_at"]), ahead(row["next_poll_at"]),
            str(row["consecutive_failures"]), str(row["new_articles_last"]),
            row["disabled_reason"] or row["last_error"] or row["warnings"] or "",
        )
    console.print(table)


@feeds.command("enable")
@click.argument("name")
@click.pass_context
def enable(ctx: click.Context, name: str) -> None:
    """Re-enable a feed tradewire disabled after failures (or HTTP 410)."""
    config = load(ctx)
    store = State(config.settings.files.state)
    try:
        if not store.feeds.enable(name):
            raise click.ClickException(f"no state for a feed named {name!r} (has it been polled?)")
    finally:
        store.close()
    console.print(f"enabled {name}; it is polled on the next cycle", markup=False)


@feeds.command("discover")
@click.argument("url")
@click.pass_context
def discover(ctx: click.Context, url: str) -> None:
    """Find the feeds a site offers (announced in its page, or at common paths)."""
    config = load(ctx)
    found = asyncio.run(_discover(config, url))
    if not found:
        console.print(f"no feeds found at {url}", markup=False)
        sys.exit(1)
    for feed_url, title in found:
        console.print(f"{feed_url}  {title or ''}".rstrip(), markup=False)


async def _discover(config, url: str) -> list[tuple[str, str | None]]:  # type: ignore[no-untyped-def]
    import httpx

    async with Fetcher(config.settings.fetch, user_agent=config.settings.fetch.agent(__version__)) as fetcher:
        trusted = origin(httpx.URL(url))
        try:
            page = await fetcher.fetch(url, trusted=trusted)
        except FetchError as error:
            raise click.ClickException(f"cannot fetch {url}: {error}") from None
        found = announced_feeds(page.body, page.url)
        if found:
            return found
        for path in COMMON_PATHS:
            candidate = str(httpx.URL(page.url).join(path))
            try:
                result = await fetcher.fetch(candidate, trusted=trusted, retries=0)
                parsed = parse_feed(result.body, url=result.url, content_type=result.content_type)
            except Exception:  # a candidate path that is not a feed is simply not reported
                continue
            found.append((candidate, parsed.title))
        return found


COMMANDS = [feeds]

"""The demo run: serve the sample site, ingest it twice (the second time everything answers 304), show results."""

from __future__ import annotations

import asyncio
import os
import shlex
import shutil
import sys
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

from ruamel.yaml import YAML

from tradewire.core.enrichment import MODALITY_WORDS
from tradewire.core.files import demo_home
from tradewire.ingest.cli.common import console
from tradewire.ingest.configuration import load_config
from tradewire.ingest.demo.sample import SampleArticle, publish, sample_articles
from tradewire.ingest.demo.site import LocalSite
from tradewire.ingest.runtime import CycleReport, open_runtime
from tradewire.search.backends import open_backend
from tradewire.search.query import parse_query
from tradewire.search.results import SearchRequest

DEMO_QUERY = '"rare earth" AND tag:export_licenses'
DEMO_MARKER = ".tradewire-demo"


class DemoError(RuntimeError):
    """The demo cannot run where it was asked to (a directory holding other data)."""


def run_demo(data_dir: Path | None) -> Path:
    """Ingest the sample site into `data_dir` (default: core.files.demo_home()), made fresh, and say what to try."""
    data_dir = _fresh(data_dir or demo_home())
    config_dir = data_dir / "config"
    config_dir.mkdir(parents=True, exist_ok=True)
    with LocalSite() as site:
        feeds = publish(site, recent(sample_articles()))
        _write_config(config_dir, feeds, enabled=True)
        os.environ["TRADEWIRE_DATA_DIR"] = str(data_dir)
        # The demo's sample articles stay in its own embedded index, never in a configured Elasticsearch.
        for variable in [name for name in os.environ if name.startswith(("TRADEWIRE_ES_", "TRADEWIRE_ELASTICSEARCH"))]:
            del os.environ[variable]
        config = load_config(config_dir)
        console.print(f"[bold]tradewire demo[/bold]: {len(feeds)} sample feeds and their article pages on {site.url('/')}")
        first = asyncio.run(_cycle(config))
        _print_cycle("First poll", first)
        example = _print_results(config)
        second = asyncio.run(_cycle(config))
        conditional = sum(1 for r in site.requests if r.path.startswith("/feeds/") and r.status == 304)
        _print_cycle("Second poll (nothing changed on the server)", second)
        console.print(f"  {conditional} feed requests answered 304 Not Modified to tradewire's conditional GET")
    # The sample site has stopped: its feeds stay listed, marked as demo feeds, and are no longer polled.
    _write_config(config_dir, feeds, enabled=False)
    demo = "--demo" if data_dir == demo_home() else f"--config-dir {config_dir} --data-dir {data_dir}"
    console.print(f"\nData kept in {data_dir} (running the demo again starts over). Explore it:", markup=False)
    for command in ("search 'tag:sanctions' --since 7d", f"show {example}", "feeds status", "serve"):
        console.print(f"  {_program()} {demo} {command}", markup=False)
    console.print("  (serve: the web page and the API on http://127.0.0.1:8080, over the demo's articles)", markup=False)
    return data_dir


def recent(articles: list[SampleArticle]) -> list[SampleArticle]:
    """The samples moved in time so that the newest was published yesterday, keeping their spacing."""
    shift = (datetime.now(timezone.utc) - timedelta(days=1)).date() - max(a.published for a in articles).date()
    return [replace(article, published=article.published + shift) for article in articles]


def _fresh(data_dir: Path) -> Path:
    """An empty directory for the demo: one the demo made before is emptied, any other must be empty."""
    marker = data_dir / DEMO_MARKER
    if data_dir.exists() and any(data_dir.iterdir()):
        if not marker.exists():
            raise DemoError(f"{data_dir} holds data that is not the demo's; give the demo an empty --data-dir")
        shutil.rmtree(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    marker.write_text("made by `tradewire demo`: emptied when the demo runs again\n", encoding="utf-8")
    return data_dir


def _program() -> str:
    """How to run tradewire from here: `tradewire` when that is on PATH, else the path of the script run."""
    script = Path(sys.argv[0])
    if script.name != "tradewire":  # python -m tradewire
        return f"{shlex.quote(sys.executable)} -m tradewire"
    if shutil.which("tradewire") == str(script.absolute()):
        return "tradewire"
    try:
        return str(script.absolute().relative_to(Path.cwd()))
    except ValueError:
        return str(script)


def _write_config(config_dir: Path, feeds: dict[str, str], *, enabled: bool) -> None:
    yaml = YAML()
    with (config_dir / "feeds.yaml").open("w", encoding="utf-8") as file:
        yaml.dump({"feeds": [
            {"name": name, "url": url, "interval": "5m", "tags": ["demo"], "enabled": enabled}
            for name, url in feeds.items()
        ]}, file)
    with (config_dir / "settings.yaml").open("w", encoding="utf-8") as file:
        # The sample site is on 127.0.0.1: the demo opts in to private addresses, which are refused by default.
        yaml.dump({"fetch": {"allow_private_urls": True, "per_host_interval": 0}}, file)


async def _cycle(config) -> CycleReport:  # type: ignore[no-untyped-def]
    async with open_runtime(config) as runtime:
        return await runtime.run_cycle(config.enabled_feeds)


def _print_cycle(title: str, report: CycleReport) -> None:
    console.print(
        f"\n[bold]{title}[/bold]: feeds {report.count('ok')} ok, {report.count('not-modified')} not modified, "
        f"{report.count('failed')} failed; articles {report.articles('new')} new, {report.articles('updated')} updated, "
        f"{report.articles('unchanged')} unchanged"
    )


def _print_results(config) -> str:  # type: ignore[no-untyped-def]
    """Print what was indexed; returns the id of an article worth a `show` (the sample article)."""
    backend = open_backend(config.settings.elasticsearch, config.settings.data_dir)
    try:
        everything = backend.search(SearchRequest(query=parse_query(""), sort="date", size=50))
        console.print("\n[bold]Indexed articles[/bold]")
        stories: dict[str, int] = {}
        for hit in everything.hits:
            stories[hit.article.story_id] = stories.get(hit.article.story_id, 0) + 1
        for hit in everything.hits:
            article = hit.article
            tags = ", ".join(f"{t.name} {MODALITY_WORDS[t.modality]} {t.score:.2f}" for t in article.tags) or "no tags"
            copies = stories[article.story_id]
            story = f"  [dim](story shared by {copies} copies)[/dim]" if copies > 1 else ""
            console.print(f"  {article.title}  [dim]{article.source}[/dim]\n    [cyan]{tags}[/cyan]{story}")
        seed = next((hit.article for hit in everything.hits if "sincerity" in hit.article.title.lower()), None)
        if seed is not None:
            console.print("\n[bold]The sample article: tags and their evidence[/bold]")
            for tag in seed.tags:
                evidence = tag.evidence[0]
                console.print(f"  [cyan]{tag.name}[/cyan] ({tag.score:.2f}): “{evidence.text}” [dim][{evidence.start}:{evidence.end}][/dim]", markup=True)
            console.print("  entities: " + ", ".join(e.name for e in seed.entities))
            for event in seed.events:
                if event.modality == "asserted" and event.date:
                    target = f" on {event.target}" if event.target else ""
                    objects = f", objects: {', '.join(event.objects)}" if event.objects else ""
                    console.print(f"  event: {event.measure} by {event.actor}{target} ({event.date}{objects})", markup=False)
        result = backend.search(SearchRequest(query=parse_query(DEMO_QUERY)))
        console.print(f"\n[bold]Search[/bold] {DEMO_QUERY}: {result.total} article(s)", markup=True)
        for hit in result.hits:
            console.print(f"  {hit.article.title}\n    {hit.snippet}", markup=False)
        tags = ", ".join(f"{b.value} ({b.count})" for b in everything.facets.get("tags", []))
        console.print(f"  tag facets over everything: {tags}", markup=False)
        return seed.id if seed is not None else everything.hits[0].article.id
    finally:
        backend.close()

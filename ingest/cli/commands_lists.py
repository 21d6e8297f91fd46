"""`tradewire lists status|refresh` (the sanctions lists and their state), `tradewire lists watchlist import FILE`
and `tradewire screen NAME`."""

from __future__ import annotations

import asyncio
import json
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import click
from rich.table import Table

from tradewire.core.clock import now_utc
from tradewire.core.durations import format_duration, parse_duration
from tradewire.ingest import __version__
from tradewire.ingest.cli.common import console, errors, load
from tradewire.ingest.cli.times import ago
from tradewire.ingest.articles.screening import load_screening
from tradewire.ingest.configuration import Config
from tradewire.ingest.indexer import FlushResult, IndexWriter
from tradewire.ingest.lists.alerts import DesignationRecorder
from tradewire.ingest.lists.refresh import RefreshReport, list_fetcher, refresh_lists
from tradewire.ingest.lists.rescreen import RescreenReport, rescreen, rescreen_line, screening_in_process
from tradewire.ingest.lists.sources import ListSource
from tradewire.ingest.state import State
from tradewire.search.alerts import Dispatcher, DispatchReport, Outbox
from tradewire.search.backends import BackendError, open_backend
from tradewire.search.redact import redacted


@click.group("lists")
def lists() -> None:
    """Sanctions lists: their entries, last refresh and outcome; refresh them now."""


def _since(_: click.Context, __: click.Parameter, value: str) -> timedelta:
    try:
        return parse_duration(value)
    except ValueError as error:
        raise click.BadParameter(str(error)) from None


def _since_if_given(ctx: click.Context, parameter: click.Parameter, value: str | None) -> timedelta | None:
    return None if value is None else _since(ctx, parameter, value)


@lists.command("status")
@click.option("--since", default="7d", show_default=True, callback=_since, help="Count designation events this far back.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def status(ctx: click.Context, since: timedelta, as_json: bool) -> None:
    """Each list's entries in force, last refresh, outcome and error, and the designations since --since."""
    config = load(ctx)
    rows = list_status(config, since)
    if as_json:
        console.print_json(json.dumps(rows, default=str))
        return
    table = Table("list", "enabled", "entries", "last refresh", "outcome", f"listed / delisted / amended (last {format_duration(since)})",
                  "error", box=None)
    for row in rows:
        events = row["designations"]
        table.add_row(row["name"], "yes" if row["enabled"] else "no", f"{row['entries']:,}", ago(row["last_refresh_at"]),
                      row["last_outcome"] or "never refreshed", f"{events['listed']} / {events['delisted']} / {events['amended']}",
                      row["last_error"] or "")
    console.print(table)


def list_status(config: Config, since: timedelta) -> list[dict[str, Any]]:
    """Configured lists joined with their stored state and their designation counts since `since`."""
    with State(config.settings.files.state) as state:
        stored = {row.name: row for row in state.lists.all()}
        counts = state.lists.designation_counts(now_utc() - since)
    rows = []
    for source in config.lists:
        row = stored.get(source.name)
        events = counts.get(source.name, {})
        rows.append({
            "name": source.name, "format": source.format, "url": source.display_url, "enabled": source.enabled,
            "entries": row.entry_count if row else 0,
            "last_refresh_at": row.last_refresh_at if row else None,
            "last_applied_at": row.last_applied_at if row else None,
            "last_outcome": row.last_outcome if row else None,
            "last_error": row.last_error if row else None,
            "designations": {event: events.get(event, 0) for event in ("listed", "delisted", "amended")},
        })
    return rows


@lists.command("refresh")
@click.argument("names", nargs=-1)
@click.pass_context
def refresh(ctx: click.Context, names: tuple[str, ...]) -> None:
    """Refresh NAMEs now (default: every enabled list), whatever their interval.

    The designation events of the versions applied are written to the index as designation documents
    (`tradewire search kind:designation`). Exits with status 1 when a list could not be fetched or its new
    version was refused (the previous version stays in force; the reason is printed and kept for `lists
    status`), or the index could not be written (the documents stay spooled for the next run).
    """
    config = load(ctx, log_level="WARNING")
    sources = _chosen(config, names)
    if not sources:
        console.print("no list enabled in lists.yaml: enable one, or name it (`tradewire lists refresh NAME`)", markup=False)
        return
    reports, written, delivered = asyncio.run(_refresh(config, sources))
    for report in reports:
        console.print(refresh_line(report), markup=False)
    if written is not None:
        console.print(index_line(written, config), markup=False)
    if delivered.delivered or delivered.retrying or delivered.dead:
        console.print(f"alerts: {delivered.delivered} delivered, {delivered.retrying} to retry, {delivered.dead} dead")
    if any(report.kept_previous for report in reports) or (written is not None and written.error):
        sys.exit(1)


def _chosen(config: Config, names: tuple[str, ...]) -> list[ListSource]:
    if not names:
        return config.enabled_lists
    known = {source.name: source for source in config.lists}
    unknown = [name for name in names if name not in known]
    if unknown:
        raise click.BadParameter(f"no list named {', '.join(unknown)} in lists.yaml; known: {', '.join(known)}",
                                 param_hint="NAME")
    return [known[name] for name in names]


async def _refresh(
    config: Config, sources: list[ListSource],
) -> tuple[list[RefreshReport], FlushResult | None, DispatchReport]:
    """Refresh `sources`, write the designation documents they spooled (and anything else spooled) to the index,
    then deliver the alerts their designations raised (and any others due)."""
    outbox = Outbox(config.settings.files.alerts)
    dispatcher = Dispatcher(outbox, config.alerts, data_dir=config.settings.data_dir, options=config.settings.alerts,
                            user_agent=config.settings.fetch.agent(__version__))
    try:
        with State(config.settings.files.state) as state:
            async with list_fetcher(config.settings.fetch) as fetcher:
                recorder = DesignationRecorder(config.alerts.rules, outbox, config.watchlist)
                reports = await refresh_lists(sources, fetcher, state.lists, recorder,
                                              downloads=config.settings.files.downloads)
            written = await _write_spool(config, state) if state.spool.size() else None
        return reports, written, await dispatcher.deliver_due()
    finally:
        await dispatcher.close()
        outbox.close()


async def _write_spool(config: Config, state: State) -> FlushResult:
    backend = open_backend(config.settings.elasticsearch, config.settings.data_dir, ready=False)
    try:
        return await IndexWriter(state, backend, batch_size=config.settings.ingest.index_batch_size).flush()
    finally:
        backend.close()


def index_line(written: FlushResult, config: Config, found_by: str = "designations: `tradewire search kind:designation`") -> str:
    where = config.settings.elasticsearch.url and redacted(config.settings.elasticsearch.url) or str(config.settings.files.index)
    if written.error:
        return f"index: {written.indexed} documents written; {written.pending} spooled until {where} can be written ({written.error})"
    return f"index: {written.indexed} documents written to {where} ({found_by})"


@lists.command("rescreen")
@click.option("--since", default=None, callback=_since_if_given,
              help="Articles fetched this far back (default: settings' ingest.rescreen_window, 30d).")
@click.pass_context
def rescreen_command(ctx: click.Context, since: timedelta | None) -> None:
    """Screen stored articles again against the lists in force and update their listed parties in the index.

    `serve` and `run-once` do this for the recent articles after a refresh that changed the lists; this does it
    now, for articles fetched since --since. Exits with status 1 when the index cannot be read or written (the
    articles updated so far stay spooled for the next run).
    """
    config = load(ctx, log_level="WARNING")
    window = since or config.settings.ingest.rescreen_window
    try:
        report, written = asyncio.run(_rescreen(config, window))
    except BackendError as error:
        errors.print(f"tradewire: articles not screened again: the index cannot be read: {error}", markup=False)
        sys.exit(1)
    console.print(f"rescreen: {rescreen_line(report, format_duration(window))}", markup=False)
    if written is not None:
        console.print(index_line(written, config, "listed parties: `tradewire search listed:*`"), markup=False)
    if written is not None and written.error:
        sys.exit(1)


async def _rescreen(config: Config, window: timedelta) -> tuple[RescreenReport, FlushResult | None]:
    """Screen the articles fetched in the last `window` again against the lists stored now, then write the spool.
    A window as long as serve's own (or longer) does what a due rescreen would: it is no longer due."""
    backend = open_backend(config.settings.elasticsearch, config.settings.data_dir, ready=False)
    try:
        with State(config.settings.files.state) as state:
            due = state.lists.rescreen_due()
            index = await asyncio.to_thread(load_screening, config.settings.files.state)
            report = await rescreen(backend, state, screening_in_process(index), now_utc() - window)
            if due is not None and window >= config.settings.ingest.rescreen_window:
                state.lists.rescreened(due)
            return report, await _write_spool(config, state) if state.spool.size() else None
    finally:
        backend.close()


@lists.group("watchlist")
def watchlist() -> None:
    """Your own counterparties (watchlist.yaml)."""


@watchlist.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_context
def import_watchlist(ctx: click.Context, file: Path) -> None:
    """Add the parties of a CSV FILE to watchlist.yaml: columns name, aliases, country, identifiers, note
    (aliases and identifiers separated by ;). A party already there (same name) is merged.

    Every line is checked first: with any bad line, each is reported with its number and nothing is written.
    """
    from tradewire.ingest.configuration import editable_config_path
    from tradewire.ingest.lists.watchlist_csv import WatchlistCsvError, import_into, read_watchlist_csv

    try:
        parties = read_watchlist_csv(file)
    except WatchlistCsvError as error:
        errors.print(str(error), markup=False)
        errors.print(f"nothing imported ({len(error.problems)} problem{'s' if len(error.problems) != 1 else ''})", markup=False)
        sys.exit(1)
    config_dir = ctx.find_root().obj["config_dir"]
    target = editable_config_path(Path(config_dir) if config_dir is not None else None, "watchlist.yaml")
    report = import_into(target, parties)
    console.print(f"{target}: {report.added} parties added, {report.merged} merged; {report.parties} on the watchlist",
                  markup=False)


def refresh_line(report: RefreshReport) -> str:
    if report.outcome == "baseline":
        return f"{report.name}: {report.entries:,} entries loaded (first version: the baseline, no designation events)"
    if report.outcome == "applied":
        return (f"{report.name}: {report.entries:,} entries; {report.listed} listed, {report.delisted} delisted, "
                f"{report.amended} amended")
    if report.outcome == "not-modified":
        return f"{report.name}: not modified ({report.entries:,} entries)"
    return f"{report.name}: {report.outcome}: {report.error}"


@click.command("screen")
@click.argument("name")
@click.option("--limit", type=click.IntRange(1, 100), default=10, show_default=True, help="At most this many matches.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def screen(ctx: click.Context, name: str, limit: int, as_json: bool) -> None:
    """Whether NAME is on a sanctions list or the watchlist: each matching entry with its list, programmes,
    score and why, and each watched party it matches.

    Screens against the stored entries of every list refreshed so far and the parties of watchlist.yaml.
    Exits with status 0 when something matches, 1 when nothing does, 2 when no list has been loaded yet and
    no watched party matches (nothing to screen against).
    """
    from tradewire.ingest.lists.screening import NothingToScreen, StoredScreening

    config = load(ctx, log_level="WARNING")
    try:
        report = StoredScreening(config.settings.files.state, config.watchlist).report(name, limit)
    except NothingToScreen as error:
        errors.print(f"tradewire: {error}", markup=False)
        sys.exit(2)
    rows, watched = report["matches"], report["watchlist"]
    if as_json:
        console.print_json(json.dumps(report))
        sys.exit(0 if rows or watched else 1)
    for party in watched:
        note = f" — {party['note']}" if party["note"] else ""
        console.print(f"on the watchlist: {party['name']}{note} (score {party['score']:.2f}: {party['why']})", markup=False)
    if not rows:
        console.print(f"no match for {name!r} among {report['entries_screened']:,} list entries", markup=False)
    else:
        table = Table("score", "list", "entry", "name", "matched", "programmes", "why", box=None)
        for row in rows:
            table.add_row(f"{row['score']:.2f}", row["list"], row["entry_id"], row["name"],
                          "" if row["matched_name"] == row["name"] else row["matched_name"], ", ".join(row["programs"]), row["why"])
        console.print(table)
    sys.exit(0 if rows or watched else 1)


COMMANDS = [lists, screen]

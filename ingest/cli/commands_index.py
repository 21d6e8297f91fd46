"""`tradewire index ...`: create, inspect, roll over and rebuild the index (whichever backend is configured)."""

from __future__ import annotations

import json
import time
from datetime import timedelta

import click

from tradewire.core.clock import now_utc
from tradewire.ingest.cli.common import console, load
from tradewire.ingest.state import State
from tradewire.search.backends import open_backend

# Index writes already under way when a reindex pauses them get this long to finish.
_IN_FLIGHT_GRACE = 3.0
_PAUSE_LIMIT = timedelta(hours=2)


@click.group("index")
def index() -> None:
    """Create, inspect and rebuild the search index."""


@index.command("create")
@click.pass_context
def create(ctx: click.Context) -> None:
    """Create the index (template, first versioned index and alias, or the embedded tables) if missing."""
    config = load(ctx)
    backend = open_backend(config.settings.elasticsearch, config.settings.data_dir)
    try:
        console.print_json(json.dumps(backend.status()))
    finally:
        backend.close()


@index.command("status")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def status(ctx: click.Context, as_json: bool) -> None:
    """Backend, location, version, documents, and articles waiting in the spool."""
    config = load(ctx)
    backend = open_backend(config.settings.elasticsearch, config.settings.data_dir, ready=False)
    state = State(config.settings.files.state)
    try:
        report = backend.status()
        report["spooled"] = state.spool.size()
        report["spool_errors"] = [
            {"article": article, "attempts": attempts, "error": error} for article, attempts, error in state.spool.errors()
        ]
        report["paused"] = state.spool.paused()
    finally:
        state.close()
        backend.close()
    if as_json:
        console.print_json(json.dumps(report))
        return
    for key, value in report.items():
        console.print(f"{key}: {value}", markup=False)


@index.command("reindex")
@click.option("--delete-old", is_flag=True, help="Delete the previous Elasticsearch index after the alias swap.")
@click.pass_context
def reindex(ctx: click.Context, delete_old: bool) -> None:
    """Rebuild the index from the stored documents with the current mapping and analysis.

    Elasticsearch: copy into a new versioned index, then swap the alias in one atomic update; searches
    never fail meanwhile. Index writes from a running service are held (articles stay spooled) until done.
    """
    config = load(ctx)
    backend = open_backend(config.settings.elasticsearch, config.settings.data_dir)
    state = State(config.settings.files.state)
    try:
        state.spool.pause("reindex in progress", now_utc() + _PAUSE_LIMIT)
        time.sleep(_IN_FLIGHT_GRACE)
        report = backend.reindex(lambda copied: console.print(f"  {copied} documents copied", markup=False))
        if delete_old:
            for old in report.old_indices:
                backend.delete_index(old)  # type: ignore[attr-defined]
    finally:
        state.spool.resume()
        state.close()
        backend.close()
    console.print(f"reindexed {report.copied} documents: {report.old} -> {report.new}", markup=False)


@index.command("rollover")
@click.option("--if-needed", is_flag=True, help="Only when a condition of elasticsearch.rollover is met.")
@click.pass_context
def rollover(ctx: click.Context, if_needed: bool) -> None:
    """Elasticsearch: give the alias a new write index, now or --if-needed (size, age or documents from
    elasticsearch.rollover). Searches span every index behind the alias; index writes are held meanwhile."""
    config = load(ctx)
    options = config.settings.elasticsearch
    if not options.url:
        raise click.ClickException("the embedded SQLite index has no rollover (one file holds every article); "
                                   "rollover is for Elasticsearch (elasticsearch.url)")
    from tradewire.search.backends.elastic import ElasticsearchBackend  # the client is only imported when used

    backend = ElasticsearchBackend(options)
    state = State(config.settings.files.state)
    try:
        # Writes are held only for a rollover that will happen: a check that finds nothing due holds nothing.
        report = backend.rollover(dry_run=True) if if_needed else None
        if report is None or report.due:
            state.spool.pause("rollover in progress", now_utc() + _PAUSE_LIMIT)
            try:
                time.sleep(_IN_FLIGHT_GRACE)
                report = backend.rollover(if_needed=if_needed)
            finally:
                state.spool.resume()
    finally:
        state.close()
        backend.close()
    console.print(report.describe(), markup=False)


COMMANDS = [index]

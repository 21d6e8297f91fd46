"""`tradewire run-once`: one ingestion cycle over the enabled feeds, with progress and a summary."""

from __future__ import annotations

import asyncio
import gc
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import click

from tradewire.enrich.language import load_model_in_background, model_copy_ready
from tradewire.ingest.cli.common import console, load
from tradewire.search.redact import redacted

# The ingestion machinery is imported by the commands after they start making the language model's copy when
# there is none yet (load_model_in_background), which then runs on the core these imports and the configuration
# leave idle; with the copy made, this process needs no model (its workers read the copy).
if TYPE_CHECKING:
    from tradewire.ingest.articles.workers import WorkerPool
    from tradewire.ingest.configuration import Config
    from tradewire.ingest.lists.refresh import RefreshReport
    from tradewire.ingest.pipeline import FeedReport
    from tradewire.ingest.runtime import CycleReport, Runtime


@click.command("run-once")
@click.option("--feed", "names", multiple=True, help="Only these feeds (by name); default: all enabled feeds.")
@click.pass_context
def run_once(ctx: click.Context, names: tuple[str, ...]) -> None:
    """Poll every enabled feed once, index new and changed articles, print a summary.

    The enabled sanctions lists whose interval has passed are refreshed first (not when --feed names feeds), and
    the articles screened against the lists in force.
    Exits with status 1 when any feed failed or is disabled after repeated failures (each is listed), the
    index could not be written (the articles stay spooled and are written by the next run), or a list could
    not be refreshed (its previous version stays in force).
    """
    if not model_copy_ready():
        load_model_in_background()
    config = load(ctx, log_level="WARNING")
    feeds = config.enabled_feeds
    if names:
        known = {feed.name: feed for feed in config.feeds}
        unknown = [name for name in names if name not in known]
        if unknown:
            raise click.BadParameter(f"no feed named {', '.join(unknown)}", param_hint="--feed")
        feeds = [known[name] for name in names]
    report, lists, rescreened = asyncio.run(run_cycle(config, feeds, with_lists=not names))
    print_summary(report, config)
    print_lists_summary(lists, enabled=len(config.enabled_lists) if not names else 0)
    if rescreened is not None:
        console.print(f"Rescreen: {rescreened.line}", markup=False)
    disabled = any(feed.outcome == "disabled" for feed in report.feeds)
    if (report.failed or disabled or (report.index is not None and report.index.error) or any(r.kept_previous for r in lists)
            or (rescreened is not None and rescreened.failed)):
        sys.exit(1)


async def run_cycle(
    config: Config, feeds: list, *, with_lists: bool,  # type: ignore[type-arg]
) -> tuple[CycleReport, list[RefreshReport], RescreenOutcome | None]:
    """The cycle's report, the lists refreshed, and what screening the stored articles again did (when it was due)."""
    import rich.progress  # noqa: F401 - what _run_cycle uses, imported before the fork (below)

    import tradewire.ingest.lists.refresh  # noqa: F401
    import tradewire.ingest.runtime  # noqa: F401
    from tradewire.ingest.articles.workers import WorkerPool

    # The workers are forked once this process has imported what it runs (so that their own imports and set-up,
    # about 0.5 s each, do not compete with its imports) and before it opens anything (no database connection for
    # them to inherit): they start while it opens the runtime and sends its first requests, and are ready when the
    # per-host interval lets the first pages through.
    workers = WorkerPool.for_config(config)
    workers.start()
    try:
        return await _run_cycle(config, feeds, workers, with_lists=with_lists)
    finally:
        workers.close()


async def _run_cycle(
    config: Config, feeds: list, workers: WorkerPool, *, with_lists: bool,  # type: ignore[type-arg]
) -> tuple[CycleReport, list[RefreshReport], RescreenOutcome | None]:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from tradewire.core.clock import now_utc
    from tradewire.ingest.lists.refresh import list_fetcher, refresh_due
    from tradewire.ingest.runtime import open_runtime

    progress = Progress(
        TextColumn("[bold]polling feeds"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[last]}"),
        TimeElapsedColumn(), console=console, transient=True, disable=not console.is_terminal,
    )
    with progress:
        task = progress.add_task("feeds", total=len(feeds), last="")

        def done(report: FeedReport) -> None:
            progress.update(task, advance=1, last=f"{report.name}: {report.outcome}")

        async with open_runtime(config, workers=workers) as runtime:
            # What the configuration, the imports and the runtime made lives as long as this short process: left to
            # the collector, every collection of the older generations would walk it again (in-process, on the
            # benchmark's 240 articles, a cycle's collections took 0.31 s unfrozen and 0.12 s frozen).
            gc.freeze()
            lists: list[RefreshReport] = []
            if with_lists and config.enabled_lists:
                async with list_fetcher(config.settings.fetch) as fetcher:
                    lists = await refresh_due(
                        config.enabled_lists, fetcher, runtime.state.lists, now_utc(), runtime.designation_recorder,
                        downloads=config.settings.files.downloads,
                    )
                # Before the cycle, so that its articles are screened against the versions just applied (the
                # workers read the lists when they start), and the designations' alerts and documents go out with the cycle's.
                if any(report.changed_entries for report in lists):
                    runtime.lists_changed()
            rescreened = await _rescreen(runtime) if with_lists else None
            return await runtime.run_cycle(feeds, on_feed_done=done), lists, rescreened


@dataclass(frozen=True, slots=True)
class RescreenOutcome:
    line: str
    failed: bool = False


async def _rescreen(runtime: Runtime) -> RescreenOutcome | None:
    """The recent stored articles screened again, when a refresh changed the lists since the last time; their
    updates are spooled and written with the cycle's articles."""
    from tradewire.core.durations import format_duration
    from tradewire.ingest.lists.rescreen import rescreen_line
    from tradewire.search.backends import BackendError

    try:
        report = await runtime.rescreen_if_due()
    except BackendError as error:
        return RescreenOutcome(f"not done, the index cannot be read ({error}); tried again at the next run", failed=True)
    if report is None:
        return None
    return RescreenOutcome(rescreen_line(report, format_duration(runtime.config.settings.ingest.rescreen_window)))


def print_summary(report: CycleReport, config: Config) -> None:
    console.print(
        f"Feeds:    {report.count('ok')} ok · {report.count('not-modified')} not modified · "
        f"{report.count('failed')} failed · {report.count('disabled')} disabled"
    )
    console.print(
        f"Articles: {report.articles('new')} new · {report.articles('updated')} updated · "
        f"{report.articles('unchanged')} unchanged · {report.articles('failed')} failed · "
        f"{report.articles('retry')} to retry"
        + (f" · {report.waiting} waiting for the next cycles (ingest.max_entries_per_feed)" if report.waiting else "")
    )
    index = report.index
    where = redacted(config.settings.elasticsearch.url) if config.settings.elasticsearch.url else str(config.settings.files.index)
    if index is not None:
        if index.error:
            console.print(
                f"Index:    {index.indexed} written; {index.pending} spooled and kept until {where} is reachable "
                f"({index.error})",
                markup=False,
            )
        else:
            console.print(f"Index:    {index.indexed} written to {where}", markup=False)
    if report.alerts is not None and (report.alerts.delivered or report.alerts.retrying or report.alerts.dead):
        console.print(
            f"Alerts:   {report.alerts.delivered} delivered · {report.alerts.retrying} to retry · {report.alerts.dead} dead"
        )
    if report.failed:
        console.print("Failed feeds:")
        for failed in report.failed:
            console.print(f"  {failed.name}: {failed.error}", markup=False)
    disabled = [feed for feed in report.feeds if feed.outcome == "disabled"]
    if disabled:
        console.print("Disabled feeds (not polled until `tradewire feeds enable NAME`):")
        for feed in disabled:
            console.print(f"  {feed.name}: {feed.error}", markup=False)
    problems = [(feed.name, url, note) for feed in report.feeds for url, note in feed.article_errors]
    if problems:
        console.print("Article notes:")
        for name, url, note in problems[:50]:
            console.print(f"  {name}: {url}: {note}", markup=False)


def print_lists_summary(reports: list[RefreshReport], enabled: int) -> None:
    """One line about the lists refreshed (none when no list is enabled), then each one kept at its previous version."""
    if not enabled:
        return
    if not reports:
        console.print(f"Lists:    none due ({enabled} enabled)")
        return
    outcomes = [report.outcome for report in reports]
    console.print(
        f"Lists:    {len(reports)} refreshed · {sum(r.listed for r in reports)} listed · "
        f"{sum(r.delisted for r in reports)} delisted · {sum(r.amended for r in reports)} amended · "
        f"{outcomes.count('baseline')} first loads · {outcomes.count('not-modified')} not modified · "
        f"{outcomes.count('refused') + outcomes.count('failed')} kept at their previous version"
    )
    for report in reports:
        if report.kept_previous:
            console.print(f"  {report.name}: {report.error}", markup=False)


COMMANDS = [run_once]


@click.command("demo")
@click.pass_context
def demo(ctx: click.Context) -> None:
    """Serve sample trade-news feeds and pages on 127.0.0.1, ingest them, and show tags, evidence and a search."""
    from tradewire.ingest.demo.run import DemoError, run_demo

    data_dir = ctx.find_root().obj.get("data_dir")
    try:
        run_demo(Path(data_dir) if data_dir else None)
    except DemoError as error:
        raise click.ClickException(str(error)) from None


COMMANDS.append(demo)


@click.command("serve")
@click.option("--host", help="Address to listen on (default from settings: 127.0.0.1).")
@click.option("--port", type=click.IntRange(0, 65535), help="Port (default from settings: 8080; 0 picks a free one).")
@click.pass_context
def serve(ctx: click.Context, host: str | None, port: int | None) -> None:
    """Run the service: scheduled polling, indexing, alert delivery, the HTTP API and the web page.

    A token (TRADEWIRE_API_TOKEN) is required when listening beyond loopback. SIGTERM stops gracefully;
    SIGHUP (or `tradewire reload`) reloads feeds, taxonomy and alert rules.
    """
    from tradewire.ingest.service import Service, ServiceError

    if not model_copy_ready():
        load_model_in_background()
    config = load(ctx)
    server = config.settings.server
    try:
        service = Service(config, host=host or server.host, port=server.port if port is None else port)
        asyncio.run(service.run())
    except ServiceError as error:
        raise click.ClickException(str(error)) from None


@click.command("reload")
@click.pass_context
def reload(ctx: click.Context) -> None:
    """Ask the running service to reload feeds, taxonomy and alert rules (sends it SIGHUP)."""
    from tradewire.ingest.service import ServiceError, send_reload

    config = load(ctx)
    try:
        pid = send_reload(config.settings.data_dir)
    except ServiceError as error:
        raise click.ClickException(str(error)) from None
    console.print(f"asked the service (pid {pid}) to reload; its log says whether the new configuration loaded")


COMMANDS += [serve, reload]

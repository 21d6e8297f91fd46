"""Everything an ingestion run needs, opened from the configuration and closed in order."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace

from tradewire.core.article import Article
from tradewire.core.clock import now_utc
from tradewire.ingest import __version__, metrics
from tradewire.ingest.articles.workers import WorkerPool
from tradewire.ingest.configuration import Config
from tradewire.ingest.feeds.registry import FeedConfig
from tradewire.ingest.fetch import Fetcher
from tradewire.ingest.indexer import FlushResult, IndexWriter
from tradewire.ingest.lists.alerts import DesignationRecorder
from tradewire.ingest.lists.rescreen import RescreenReport, rescreen
from tradewire.ingest.pipeline import FeedReport, Pipeline
from tradewire.ingest.state import State
from tradewire.search.alerts import AlertMatcher, Dispatcher, DispatchReport, Outbox, Rule
from tradewire.search.backends import IndexBackend, open_backend


@dataclass(slots=True)
class CycleReport:
    feeds: list[FeedReport] = field(default_factory=list)
    index: FlushResult | None = None
    alerts: DispatchReport | None = None

    def count(self, outcome: str) -> int:
        return sum(1 for report in self.feeds if report.outcome == outcome)

    def articles(self, outcome: str) -> int:
        return sum(report.articles[outcome] for report in self.feeds)

    @property
    def waiting(self) -> int:
        """New entries left for the next cycles by ingest.max_entries_per_feed."""
        return sum(report.waiting for report in self.feeds)

    @property
    def failed(self) -> list[FeedReport]:
        return [report for report in self.feeds if report.outcome == "failed"]


@dataclass
class Runtime:
    config: Config
    state: State
    backend: IndexBackend
    fetcher: Fetcher
    workers: WorkerPool
    indexer: IndexWriter
    pipeline: Pipeline
    outbox: Outbox
    dispatcher: Dispatcher
    alert_recorder: AlertRecorder
    designation_recorder: DesignationRecorder

    def use_config(self, config: Config) -> None:
        """Switch to a reloaded configuration: feeds, taxonomy and gazetteer, alert rules and channels."""
        if (config.taxonomy, config.gazetteer, config.watchlist) != (self.config.taxonomy, self.config.gazetteer, self.config.watchlist):
            self.workers.reload(config.taxonomy, config.gazetteer, config.watchlist)
        self.alert_recorder.use(config.alerts.rules)
        self.designation_recorder.use(config.alerts.rules, config.watchlist)
        self.pipeline.options, self.pipeline.polling = config.settings.ingest, config.settings.polling
        self.dispatcher.alerts = config.alerts
        self.config = config

    def lists_changed(self) -> None:
        """A refresh changed the entries in force: the workers screen against the new ones, and the designation
        documents it spooled are written without waiting for the writer's next round."""
        self.workers.restart()
        self.indexer.wake()

    async def rescreen_if_due(self) -> RescreenReport | None:
        """When a refresh changed the entries in force since articles were last screened again, screen those of the
        last `ingest.rescreen_window` again in the workers (which must read the lists in force: `lists_changed`).
        A BackendError (the index cannot be read) leaves it due."""
        due = self.state.lists.rescreen_due()
        if due is None:
            return None
        since = now_utc() - self.config.settings.ingest.rescreen_window
        report = await rescreen(self.backend, self.state, self.workers.screen, since)
        self.state.lists.rescreened(due)
        if report.changed:
            self.indexer.wake()
        return report

    async def poll(self, feed: FeedConfig) -> FeedReport:
        report = await self.pipeline.poll(feed)
        metrics.FEED_POLLS.labels(report.outcome).inc()
        return report

    async def run_cycle(
        self, feeds: list[FeedConfig], on_feed_done: Callable[[FeedReport], None] | None = None
    ) -> CycleReport:
        """Poll every feed once (concurrently, within the fetcher's limits), then write the spool to the index."""
        # Workers not started yet (a `run-once`'s) start first, before any connection is open for them to inherit:
        # the fork takes milliseconds, and their imports and set-up (about 0.4 s) then run while the per-host
        # interval holds each site's first page back behind its feed and robots.txt.
        self.workers.start()
        self.state.feeds.sync((feed.name, feed.url) for feed in feeds)

        async def poll(feed: FeedConfig) -> FeedReport:
            report = await self.poll(feed)
            if on_feed_done:
                on_feed_done(report)
            return report

        # The index writer works alongside the polls, so writing overlaps fetching and extraction.
        written_before = self.indexer.indexed_total
        stop = asyncio.Event()
        writer = asyncio.create_task(self.indexer.run(stop))
        try:
            reports = await asyncio.gather(*(poll(feed) for feed in feeds))
        finally:
            stop.set()
            await writer
        flushed = replace(await self.indexer.flush(), indexed=self.indexer.indexed_total - written_before)
        return CycleReport(list(reports), flushed, await self.dispatcher.deliver_due())


class AlertRecorder:
    """The pipeline listener that stores an alert for every rule a new or changed article matches."""

    def __init__(self, rules: list[Rule], outbox: Outbox, dispatcher: Dispatcher) -> None:
        self.matcher = AlertMatcher(rules)
        self.outbox = outbox
        self.dispatcher = dispatcher

    def use(self, rules: list[Rule]) -> None:
        self.matcher = AlertMatcher(rules)

    def __call__(self, article: Article) -> None:
        created = [(match, self.outbox.record(match, article)) for match in self.matcher.match(article)]
        for match, alert in created:
            if alert:
                metrics.ALERTS_CREATED.labels(match.rule.name).inc()
        if any(alert for _, alert in created):
            self.dispatcher.wake()


@asynccontextmanager
async def open_runtime(config: Config, *, workers: WorkerPool | None = None) -> AsyncIterator[Runtime]:
    """Everything a run needs; `workers`, a pool the caller made for `config` (started early, say), is closed with
    the rest."""
    settings = config.settings
    state = State(settings.files.state)
    outbox = Outbox(settings.files.alerts)
    dispatcher = Dispatcher(
        outbox, config.alerts, data_dir=settings.data_dir, options=settings.alerts,
        user_agent=settings.fetch.agent(__version__),
    )
    recorder = AlertRecorder(config.alerts.rules, outbox, dispatcher)
    designations = DesignationRecorder(config.alerts.rules, outbox, config.watchlist, dispatcher.wake)
    backend = open_backend(settings.elasticsearch, settings.data_dir, ready=False)
    workers = workers or WorkerPool.for_config(config)
    fetcher = Fetcher(settings.fetch, user_agent=settings.fetch.agent(__version__))
    indexer = IndexWriter(state, backend, batch_size=settings.ingest.index_batch_size)
    pipeline = Pipeline(
        settings.ingest, settings.polling, per_host_concurrency=settings.fetch.per_host_concurrency,
        state=state, fetcher=fetcher, workers=workers, indexer=indexer, listeners=[recorder],
    )
    try:
        yield Runtime(config, state, backend, fetcher, workers, indexer, pipeline, outbox, dispatcher, recorder, designations)
    finally:
        await dispatcher.close()
        outbox.close()
        await fetcher.close()
        workers.close()
        backend.close()
        state.close()

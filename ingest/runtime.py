"""Everything an ingestion run needs, opened from the configuration and closed in order."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from ingest import __version__
from ingest.articles.workers import WorkerPool
from ingest.configuration import Config
from ingest.feeds.registry import FeedConfig
from ingest.fetch import Fetcher
from ingest.indexer import FlushResult, IndexWriter
from ingest.pipeline import AcceptListener, FeedReport, Pipeline
from ingest.state import StateStore
from search.backends import IndexBackend, open_backend


@dataclass(slots=True)
class CycleReport:
    feeds: list[FeedReport] = field(default_factory=list)
    index: FlushResult | None = None

    def count(self, outcome: str) -> int:
        return sum(1 for report in self.feeds if report.outcome == outcome)

    def articles(self, outcome: str) -> int:
        return sum(report.articles[outcome] for report in self.feeds)

    @property
    def failed(self) -> list[FeedReport]:
        return [report for report in self.feeds if report.outcome == "failed"]


@dataclass
class Runtime:
    config: Config
    state: StateStore
    backend: IndexBackend
    fetcher: Fetcher
    workers: WorkerPool
    indexer: IndexWriter
    pipeline: Pipeline

    async def run_cycle(
        self, feeds: list[FeedConfig], on_feed_done: Callable[[FeedReport], None] | None = None
    ) -> CycleReport:
        """Poll every feed once (concurrently, within the fetcher's limits), then write the spool to the index."""
        self.state.sync_feeds((feed.name, feed.url) for feed in feeds)

        async def poll(feed: FeedConfig) -> FeedReport:
            report = await self.pipeline.poll(feed)
            if on_feed_done:
                on_feed_done(report)
            return report

        reports = await asyncio.gather(*(poll(feed) for feed in feeds))
        return CycleReport(list(reports), await self.indexer.flush())


@asynccontextmanager
async def open_runtime(config: Config, listeners: list[AcceptListener] | None = None) -> AsyncIterator[Runtime]:
    settings = config.settings
    state = StateStore(settings.data_dir / "state.db")
    backend = open_backend(settings.elasticsearch, settings.data_dir, ready=False)
    workers = WorkerPool(
        config.taxonomy, config.gazetteer, workers=settings.ingest.workers, timeout=settings.ingest.extraction_timeout
    )
    fetcher = Fetcher(settings.fetch, user_agent=settings.fetch.agent(__version__))
    indexer = IndexWriter(state, backend, batch_size=settings.ingest.index_batch_size)
    pipeline = Pipeline(config, state=state, fetcher=fetcher, workers=workers, indexer=indexer, listeners=listeners)
    try:
        yield Runtime(config, state, backend, fetcher, workers, indexer, pipeline)
    finally:
        await fetcher.close()
        workers.close()
        backend.close()
        state.close()

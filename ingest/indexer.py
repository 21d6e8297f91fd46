"""Drains the spool into the index in batches; the spool keeps every document (an article, or the designation of a
list refresh) until the index confirms it."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass

from tradewire.core.article import Article
from tradewire.core.document import Document, document_from_json
from tradewire.ingest import metrics
from tradewire.ingest.state import State
from tradewire.search.backends import BackendError, IndexBackend

log = logging.getLogger("tradewire.index")


@dataclass(frozen=True, slots=True)
class FlushResult:
    indexed: int
    pending: int
    error: str | None = None


class IndexWriter:
    def __init__(self, state: State, backend: IndexBackend, *, batch_size: int) -> None:
        self.state = state
        self.backend = backend
        self.batch_size = batch_size
        self._wake = asyncio.Event()
        self._lock = asyncio.Lock()
        self.indexed_total = 0
        self._ready = False
        self._unrefreshed = False
        # Articles accepted by this process, so writing them needs no parse of their spooled JSON.
        self._accepted: dict[str, tuple[str, Article]] = {}

    def accepted(self, article: Article, document: str) -> None:
        self._accepted[article.id] = (document, article)
        self.wake()

    def wake(self) -> None:
        self._wake.set()

    async def flush(self, *, refresh: bool = True) -> FlushResult:
        """Write everything spooled; stop at the first error the whole index gives (documents stay spooled).

        With `refresh`, searches see the documents when it returns (the end of a cycle); the background writer
        leaves that to the index's own refresh (Elasticsearch refreshes every second).
        """
        async with self._lock:
            indexed = 0
            refused: set[str] = set()
            while True:
                # Checked before every batch: a reindex that pauses writes waits for one batch at most.
                paused = self.state.spool.paused()
                if paused:
                    return FlushResult(indexed, self.state.spool.size(), f"index writes are paused: {paused}")
                batch = [row for row in self.state.spool.oldest(self.batch_size + len(refused)) if row[0] not in refused]
                if not batch:
                    break
                documents = dict(batch[: self.batch_size])
                articles = [self._article(article_id, document) for article_id, document in documents.items()]
                try:
                    if not self._ready:
                        await asyncio.to_thread(self.backend.ensure_ready)
                        self._ready = True
                    with metrics.STAGE_SECONDS.labels("index").time():
                        report = await asyncio.to_thread(self.backend.index, articles, list(documents.values()))
                except BackendError as error:
                    log.warning("index unavailable; %d articles stay spooled", self.state.spool.size(),
                                extra={"stage": "index", "error": str(error)})
                    return FlushResult(indexed, self.state.spool.size(), str(error))
                self.state.spool.confirmed({article_id: documents[article_id] for article_id in report.indexed})
                for article_id in report.indexed:
                    self._accepted.pop(article_id, None)
                if report.failed:
                    self.state.spool.refused(report.failed)
                    refused.update(report.failed)
                    for article_id, reason in report.failed.items():
                        log.error("index refused article", extra={"stage": "index", "article": article_id, "error": reason})
                indexed += len(report.indexed)
                self._unrefreshed = self._unrefreshed or bool(report.indexed)
                self.indexed_total += len(report.indexed)
                metrics.INDEXED.inc(len(report.indexed))
            if self._unrefreshed and refresh:
                try:
                    await asyncio.to_thread(self.backend.refresh)
                except BackendError as error:
                    return FlushResult(indexed, self.state.spool.size(), str(error))
                self._unrefreshed = False
            return FlushResult(indexed, self.state.spool.size())

    def _article(self, article_id: str, document: str) -> Document:
        known = self._accepted.get(article_id)
        if known is not None and known[0] == document:
            return known[1]
        return document_from_json(document)

    async def run(
        self, stop: asyncio.Event, *, retry_after: float = 2.0, max_retry: float = 30.0, linger: float = 0.5
    ) -> None:
        """Keep flushing as articles arrive until `stop` is set; while the index is unavailable, retry with
        backoff (new articles wait in the spool rather than trigger attempts). After a wake it lingers a
        moment so that articles arriving together are written in one batch."""
        delay = retry_after
        while not stop.is_set():
            if len(self._accepted) < self.batch_size:
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(stop.wait(), timeout=linger)
            result = await self.flush(refresh=False)
            self._wake.clear()
            waiters = [asyncio.create_task(stop.wait())]
            if result.error:
                timeout, delay = delay, min(delay * 2, max_retry)
            else:
                timeout, delay = 60.0, retry_after
                waiters.append(asyncio.create_task(self._wake.wait()))
            await asyncio.wait(waiters, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
            for waiter in waiters:
                waiter.cancel()

"""A pool of worker processes for `process_page`, so extraction never blocks the event loop and uses every core.

The workers start when first needed (`start`, called by `warm_up`, `process`, `screen`, or by a cycle as it
begins), and each imports the extraction machinery (trafilatura, lxml, the enricher's modules) and loads the
language model (from its memory-mapped copy, enrich.language) itself: this process never imports them, so a
`run-once` sends its first feed requests sooner, and the workers' start takes the cores its fetching leaves idle
while the per-host interval holds each site's first page back.

A worker ends when the process that started it ends, however it ended (SIGTERM, kill -9, a crash): pebble's
workers would otherwise finish their page and then wait for tasks from a parent that is gone, for ever.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import threading
import time
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pebble import ProcessPool
from pebble.common import ProcessExpired

from tradewire.ingest.errors import ExtractionError
from tradewire.ingest.lists.watchlist import WatchlistFile

if TYPE_CHECKING:
    from multiprocessing.synchronize import Barrier

    from tradewire.core.article import ListedParty
    from tradewire.ingest.configuration import Config
    from tradewire.enrich import Gazetteer, Taxonomy
    from tradewire.ingest.articles.jobs import PageJob, ProcessedPage
    from tradewire.ingest.lists.watchlist import WatchedParty

_PARENT_CHECK_SECONDS = 0.25
# How long a worker's warm-up task waits for the others' (a worker that never starts fails its own task anyway).
_READY_WAIT_SECONDS = 30.0
# This worker's share of its pool's barrier: each worker's warm-up task waits there for the others'.
_started: Barrier | None = None


def _init(
    parent: int, taxonomy_json: str, gazetteer_json: str, lists_path: str | None, watchlist_json: str,
    started: Barrier,
) -> None:
    global _started
    _started = started
    threading.Thread(target=_exit_without, args=(parent,), name="parent-watch", daemon=True).start()
    from tradewire.enrich.language import load_model
    from tradewire.ingest.articles.process import init_worker

    load_model()  # from the copy (or inherited, when the parent had to load it)
    init_worker(taxonomy_json, gazetteer_json, lists_path, watchlist_json)


def _process_page(job: PageJob, tagging_timeout: float | None) -> ProcessedPage:
    """process_page, named through this module: the parent never imports ingest.articles.process."""
    from tradewire.ingest.articles.process import process_page

    return process_page(job, tagging_timeout=tagging_timeout)


def _screen_articles(articles: list[tuple[str, str]]) -> list[list[ListedParty]]:
    from tradewire.ingest.articles.process import screen_articles

    return screen_articles(articles)


def _exit_without(parent: int) -> None:
    # A worker whose parent died is re-parented: its parent pid changes (even if the parent died before this began).
    while os.getppid() == parent:
        time.sleep(_PARENT_CHECK_SECONDS)
    os._exit(1)


def _ready() -> int:
    """A warm-up task: it waits until every worker holds one (a worker busy with its own cannot take a second), so
    that each worker is known to have started, and no longer (a fixed pause held every worker 0.2 s after it
    started, while pages waited). Returns the worker's process id."""
    try:
        if _started is not None:
            _started.wait(_READY_WAIT_SECONDS)
    except threading.BrokenBarrierError:
        pass
    return os.getpid()


class WorkerPool:
    """Workers that extract, enrich and, with `lists` (the state database), screen each page against the lists
    stored there when they started, and against the `watchlist`'s parties."""

    def __init__(
        self, taxonomy: Taxonomy, gazetteer: Gazetteer, *, workers: int = 0, timeout: float = 60.0,
        tagging_timeout: float | None = None, lists: Path | None = None, watchlist: list[WatchedParty] | None = None,
    ) -> None:
        self.size = workers or os.cpu_count() or 1
        self.timeout = timeout
        self.tagging_timeout = tagging_timeout
        self.lists = lists
        self.watchlist = watchlist or []
        self._taxonomy, self._gazetteer = taxonomy, gazetteer
        self._pool: ProcessPool | None = None
        self._starting: list[Any] = []
        # Pages and screenings handed to the workers and not finished yet.
        self._in_flight: set[Any] = set()

    @classmethod
    def for_config(cls, config: Config) -> WorkerPool:
        """The pool an ingestion runtime uses, from the configuration's settings, taxonomy, gazetteer and watchlist."""
        ingest = config.settings.ingest
        return cls(
            config.taxonomy, config.gazetteer, workers=ingest.workers, timeout=ingest.extraction_timeout,
            tagging_timeout=ingest.tagging_timeout, lists=config.settings.files.state, watchlist=config.watchlist,
        )

    @property
    def started(self) -> bool:
        return self._pool is not None

    def start(self) -> None:
        """Start the workers, unless they are started."""
        if self._pool is None:
            self._pool = self._start(self._taxonomy, self._gazetteer)

    def _running(self) -> ProcessPool:
        self.start()
        assert self._pool is not None
        return self._pool

    def _start(self, taxonomy: Taxonomy, gazetteer: Gazetteer) -> ProcessPool:
        """A new pool whose workers start now, and become the pool `warm_up` waits for."""
        from tradewire.enrich import language

        self._taxonomy, self._gazetteer = taxonomy, gazetteer
        language.before_fork()
        started = multiprocessing.Barrier(self.size)
        pool = ProcessPool(
            max_workers=self.size,
            initializer=_init,
            initargs=(os.getpid(), taxonomy.model_dump_json(), gazetteer.model_dump_json(), str(self.lists) if self.lists else None,
                      WatchlistFile(parties=self.watchlist).model_dump_json(), started),
        )
        self._starting = [pool.schedule(_ready) for _ in range(self.size)]
        return pool

    async def process(self, job: PageJob) -> ProcessedPage:
        pool = self._running()
        future = self._track(pool.schedule(_process_page, args=(job, self.tagging_timeout), timeout=self.timeout))
        try:
            return await asyncio.wrap_future(future)
        except FutureTimeout:
            raise ExtractionError(f"processing the page took longer than {self.timeout:g} s; the worker was stopped") from None
        except ProcessExpired as error:
            raise ExtractionError(f"the worker processing the page died (exit code {error.exitcode})") from None
        except Exception as error:  # anything the page made extraction raise is that page's failure only
            raise ExtractionError(f"processing the page failed: {type(error).__name__}: {error}") from None

    async def screen(self, articles: list[tuple[str, str]]) -> list[list[ListedParty]]:
        """The listed parties each (title, text) names, screened by a worker against the lists it started with."""
        pool = self._running()
        return await asyncio.wrap_future(self._track(pool.schedule(_screen_articles, args=(articles,), timeout=self.timeout)))  # type: ignore[no-any-return]

    def _track(self, future: Any) -> Any:
        self._in_flight.add(future)
        future.add_done_callback(self._in_flight.discard)
        return future

    async def warm_up(self) -> None:
        """Start the workers and wait until every one has started (imports, enricher, first-call costs), as a
        service does before it takes work."""
        self.start()
        await asyncio.gather(*(asyncio.wrap_future(future) for future in self._starting))

    def reload(self, taxonomy: Taxonomy, gazetteer: Gazetteer, watchlist: list[WatchedParty] | None = None) -> None:
        """New workers with a new taxonomy (and watchlist, when given); tasks already running finish on the old ones.
        Workers not started yet start with them when first needed."""
        if watchlist is not None:
            self.watchlist = watchlist
        if self._pool is None:
            self._taxonomy, self._gazetteer = taxonomy, gazetteer
            return
        old, self._pool = self._pool, self._start(taxonomy, gazetteer)
        old.close()

    def restart(self) -> None:
        """New workers, which read the lists in force again (a refresh applied a version); running tasks finish."""
        self.reload(self._taxonomy, self._gazetteer)

    def close(self) -> None:
        """Stop the workers (once: closing again does nothing)."""
        pool, self._pool = self._pool, None
        if pool is None:
            return
        if not any(not future.done() for future in list(self._in_flight)):
            # Nothing of ours is running (the end of a `run-once`, or a cycle that brought nothing to extract while
            # the workers were still starting): they are stopped now rather than waited for.
            pool.stop()
            pool.join()
            return
        pool.close()
        pool.join(timeout=2)  # an extraction still running after the shutdown deadline is stopped
        if pool.active:
            pool.stop()
            pool.join()

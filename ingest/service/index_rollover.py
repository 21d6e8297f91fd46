"""`serve` rolls the Elasticsearch index over behind its alias when a condition of elasticsearch.rollover is
met (size, age or documents), asking the node every `check_interval`; what it did is logged. The writer and
the rollover share the backend, which makes each wait for the other (search.backends.elastic)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import TYPE_CHECKING

from tradewire.search.backends import BackendError, IndexBackend

if TYPE_CHECKING:
    from tradewire.search.backends.elastic import ElasticsearchBackend

log = logging.getLogger("tradewire.index")


def rolls_over(backend: IndexBackend) -> bool:
    """Whether `serve` runs the rollover job: Elasticsearch with a condition set (SQLite has no rollover)."""
    options = getattr(backend, "options", None)
    return backend.name == "elasticsearch" and options is not None and bool(options.rollover.conditions())


async def keep_index_rolled(backend: ElasticsearchBackend, stop: asyncio.Event) -> None:
    """Until `stop`: every check interval, roll the alias over if a condition is met."""
    options = backend.options.rollover
    while not stop.is_set():
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=options.check_interval.total_seconds())
        if stop.is_set():
            return
        try:
            report = await asyncio.to_thread(backend.rollover)
        except BackendError as error:  # the node is away: asked again at the next check
            log.warning("rollover check failed", extra={"error": str(error)})
            continue
        log.info(report.describe(),
                 extra={"old_index": report.old, "new_index": report.new, "rolled_over": report.rolled_over})

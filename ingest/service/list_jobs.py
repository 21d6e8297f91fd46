"""`serve` keeps the enabled sanctions lists fresh: the lists whose interval has passed are refreshed
(ingest.lists.refresh) beside the feed polls, on a fetcher of their own; it looks again when the next list
falls due, and at least every minute (a reload may add lists). A refresh that applied a version calls
`on_applied` when the entries in force changed (serve restarts the extraction workers, which screen articles
against the lists in force); then, while a rescreen is due, `rescreen` screens the recent stored articles again
(an index that cannot be read is tried again the next minute)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from pathlib import Path

from tradewire.core.clock import now_utc
from tradewire.ingest.lists.refresh import DesignationListener, list_fetcher, refresh_due
from tradewire.ingest.lists.rescreen import RescreenReport
from tradewire.ingest.lists.sources import ListSource
from tradewire.ingest.settings import FetchOptions
from tradewire.ingest.state.lists import ListStore
from tradewire.search.backends import BackendError

log = logging.getLogger("tradewire.lists")
LONGEST_WAIT = 60.0


async def keep_lists_fresh(
    lists: Callable[[], list[ListSource]], store: ListStore, options: FetchOptions, stop: asyncio.Event,
    listener: DesignationListener | None = None, on_applied: Callable[[], None] = lambda: None,
    rescreen: Callable[[], Awaitable[RescreenReport | None]] | None = None, *, downloads: Path,
) -> None:
    """Until `stop`: refresh the due lists of the configuration in force (`lists`, read again after a reload),
    telling `listener` of the designation events each applied version brings, and calling `on_applied` after a
    refresh that applied one."""
    fetcher = list_fetcher(options)
    try:
        while not stop.is_set():
            if lists():
                try:
                    reports = await refresh_due(lists(), fetcher, store, now_utc(), listener, downloads=downloads)
                    if any(report.changed_entries for report in reports):
                        on_applied()
                    for report in reports:
                        level = logging.WARNING if report.kept_previous else logging.INFO
                        log.log(level, "list refreshed", extra={
                            "list": report.name, "outcome": report.outcome, "entries": report.entries,
                            "listed": report.listed, "delisted": report.delisted, "error": report.error,
                        })
                except Exception:  # one bad refresh must not end the loop; the list is retried next minute
                    log.exception("list refresh failed unexpectedly")
                if rescreen is not None:
                    await _rescreen(rescreen)
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=_until_next(lists(), store))
    finally:
        await fetcher.close()


async def _rescreen(rescreen: Callable[[], Awaitable[RescreenReport | None]]) -> None:
    try:
        report = await rescreen()
    except BackendError as error:
        log.warning("stored articles not screened again: the index cannot be read; tried again in a minute",
                    extra={"error": str(error)})
    except Exception:  # the rescreen stays due and is tried again next minute
        log.exception("screening stored articles again failed unexpectedly")
    else:
        if report is not None:
            log.info("stored articles screened again", extra={"read": report.read, "changed": report.changed})


def _until_next(sources: list[ListSource], store: ListStore) -> float:
    """Seconds until the next list falls due, between one and LONGEST_WAIT."""
    now = now_utc()
    waits = []
    for source in sources:
        stored = store.get(source.name)
        if stored is None or stored.last_refresh_at is None:
            return 1.0
        waits.append((stored.last_refresh_at + source.interval - now).total_seconds())
    return min(LONGEST_WAIT, max(1.0, min(waits, default=LONGEST_WAIT)))

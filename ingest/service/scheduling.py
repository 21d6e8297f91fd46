"""One APScheduler job per enabled feed, set after every poll to the time the pipeline chose (adaptive interval,
error backoff, Retry-After, already jittered). Feeds due at start are spread over the first minutes."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta, timezone
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

from tradewire.core.clock import now_utc
from tradewire.ingest.feeds.registry import FeedConfig
from tradewire.ingest.settings import PollingOptions
from tradewire.ingest.state.feeds import FeedStore

log = logging.getLogger("tradewire.service")
_FIRST_POLL_SPREAD = timedelta(minutes=5)


class FeedJobs:
    def __init__(self, feeds: FeedStore, polling: PollingOptions, poll: Callable[[FeedConfig], Awaitable[object]]) -> None:
        self.feeds = feeds
        self.polling = polling
        self._poll_feed = poll
        self._by_name: dict[str, FeedConfig] = {}
        self.running: set[asyncio.Task[Any]] = set()
        self.stopping = False
        self.scheduler = AsyncIOScheduler(
            timezone=timezone.utc,
            job_defaults={"max_instances": 1, "coalesce": True, "misfire_grace_time": 600},
        )

    def start(self, feeds: list[FeedConfig]) -> None:
        self.add(feeds)
        self.scheduler.start()

    def add(self, feeds: list[FeedConfig]) -> None:
        """A job per feed, first run at the stored next poll, or spread over the first minutes when it is due."""
        self.feeds.sync((feed.name, feed.url) for feed in feeds)
        self._by_name.update((feed.name, feed) for feed in feeds)
        now = now_utc()
        due = [feed for feed in feeds if not self.feeds.future_poll(feed.name, now)]
        step = min(_FIRST_POLL_SPREAD, self.polling.default_interval) / max(1, len(due))
        for feed in feeds:
            self._set(feed, self.feeds.future_poll(feed.name, now) or now + step * due.index(feed))

    def use(self, feeds: list[FeedConfig]) -> None:
        """Switch to a reloaded feed list: jobs of removed feeds go, new feeds get one, the others keep their time."""
        wanted = {feed.name: feed for feed in feeds}
        for job in self.scheduler.get_jobs():
            if job.id not in wanted:
                job.remove()
        self._by_name = wanted
        new = [feed for feed in feeds if self.scheduler.get_job(feed.name) is None]
        if new:
            self.add(new)

    @property
    def scheduled(self) -> int:
        return len(self.scheduler.get_jobs())

    @property
    def active(self) -> bool:
        return self.scheduler.running and not self.stopping

    async def stop(self, timeout: float, cancel_within: float) -> None:
        """Take no new polls; running polls may finish within `timeout`, then are cancelled (their entries are
        polled again on restart)."""
        self.stopping = True
        # Pause, not shut down: APScheduler's shutdown cancels running jobs, and running polls may finish.
        self.scheduler.pause()
        if self.running:
            _, pending = await asyncio.wait(set(self.running), timeout=timeout)
            for task in pending:
                task.cancel()
            if pending:
                log.warning("polls cancelled at shutdown; their entries are polled again on restart",
                            extra={"polls": len(pending)})
                await asyncio.wait(pending, timeout=cancel_within)
        self.scheduler.shutdown(wait=False)

    def _interval(self, feed: FeedConfig) -> float:
        current = self.feeds.get(feed.name)
        default = (feed.interval or self.polling.default_interval).total_seconds()
        return current.interval_seconds if current and current.interval_seconds else default

    def _set(self, feed: FeedConfig, first: datetime) -> None:
        trigger = IntervalTrigger(seconds=max(1.0, self._interval(feed)), start_date=first, timezone=timezone.utc)
        if self.scheduler.get_job(feed.name):
            self.scheduler.reschedule_job(feed.name, trigger=trigger)
        else:
            self.scheduler.add_job(self._poll, trigger, args=[feed.name], id=feed.name, name=feed.name)

    async def _poll(self, name: str) -> None:
        feed = self._by_name.get(name)
        if self.stopping or feed is None:
            return
        task = asyncio.current_task()
        assert task is not None
        self.running.add(task)
        try:
            await self._poll_feed(feed)
        except asyncio.CancelledError:
            if not self.stopping:
                raise
            # Cut off by the shutdown deadline: its unfinished entries were never marked seen.
            log.info("poll cut off at shutdown; its unfinished entries are polled again on restart",
                     extra={"feed": name, "stage": "poll"})
            return
        except Exception:  # one feed's unexpected failure must not stop its schedule or the service
            log.exception("poll failed unexpectedly", extra={"feed": name, "stage": "poll"})
        finally:
            self.running.discard(task)
        stored = self.feeds.get(name)
        if stored and stored.next_poll_at and not self.stopping:
            self._set(feed, max(stored.next_poll_at, now_utc()))

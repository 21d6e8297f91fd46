"""When to poll a feed next: adaptive intervals within bounds, error backoff, Retry-After."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from tradewire.ingest.feeds.registry import FeedConfig
from tradewire.ingest.settings import PollingOptions

_FASTER = 0.75
_SLOWER = 1.25
_MAX_BACKOFF_DOUBLINGS = 6


def bounds(feed: FeedConfig, polling: PollingOptions) -> tuple[float, float]:
    base = (feed.interval or polling.default_interval).total_seconds()
    low = (feed.min_interval or min(polling.min_interval, feed.interval or polling.min_interval)).total_seconds()
    high = (feed.max_interval or max(polling.max_interval, feed.interval or polling.max_interval)).total_seconds()
    return min(low, base), max(high, base)


def next_interval(feed: FeedConfig, polling: PollingOptions, current: float | None, new_articles: int) -> float:
    """Busy feeds are polled more often, quiet ones less, within the feed's bounds."""
    base = (feed.interval or polling.default_interval).total_seconds()
    low, high = bounds(feed, polling)
    interval = current or base
    interval *= _FASTER if new_articles > 0 else _SLOWER
    return min(max(interval, low), high)


def jittered(now: datetime, seconds: float, jitter: float) -> datetime:
    return now + timedelta(seconds=seconds * (1 + random.uniform(-jitter, jitter)))


def after_failure(
    now: datetime, feed: FeedConfig, polling: PollingOptions, failures: int, retry_after: float | None
) -> datetime:
    base = (feed.interval or polling.default_interval).total_seconds()
    _, high = bounds(feed, polling)
    delay = min(base * 2 ** min(failures - 1, _MAX_BACKOFF_DOUBLINGS), high)
    if retry_after is None:
        return jittered(now, delay, polling.jitter)
    # Jitter spreads load but must never bring the next poll before the publisher's Retry-After.
    return max(jittered(now, max(delay, retry_after), polling.jitter), now + timedelta(seconds=retry_after))

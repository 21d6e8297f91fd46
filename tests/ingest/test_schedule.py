"""Polling schedule rules that the hostile cycle exercises only once per run."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from tradewire.ingest.feeds.registry import FeedConfig
from tradewire.ingest.schedule import after_failure
from tradewire.ingest.settings import PollingOptions

NOW = datetime(2026, 1, 1, tzinfo=timezone.utc)


def test_jitter_never_schedules_before_retry_after() -> None:
    feed = FeedConfig(name="busy", url="https://example.org/feed")
    polling = PollingOptions(jitter=0.5)
    polls = [after_failure(NOW, feed, polling, failures=1, retry_after=3600) for _ in range(500)]
    assert min(polls) >= NOW + timedelta(seconds=3600)
    assert max(polls) > min(polls), "jitter still spreads the retries"


def test_backoff_grows_with_failures_and_stays_within_the_ceiling() -> None:
    feed = FeedConfig(name="flaky", url="https://example.org/feed", interval=timedelta(minutes=10))
    polling = PollingOptions(jitter=0, max_interval=timedelta(hours=2))
    delays = [after_failure(NOW, feed, polling, failures=n, retry_after=None) - NOW for n in range(1, 8)]
    assert delays[:5] == [timedelta(minutes=10 * 2**k) for k in range(4)] + [timedelta(hours=2)]
    assert max(delays) == timedelta(hours=2)

"""Per feed: conditional-GET validators, the last outcome and error, failures, the schedule position."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from tradewire.core.clock import iso, moment, now_utc
from tradewire.core.database import Database

SCHEMA = """
CREATE TABLE IF NOT EXISTS feed_state (
    name TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    etag TEXT,
    last_modified TEXT,
    body_hash TEXT,  -- ingest.feeds.parse.entries_digest of the last feed body
    last_fetch_at TEXT,
    last_success_at TEXT,
    last_outcome TEXT,
    last_error TEXT,
    last_error_kind TEXT,
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    disabled_reason TEXT,
    disabled_at TEXT,
    next_poll_at TEXT,
    interval_seconds REAL,
    new_articles_last INTEGER NOT NULL DEFAULT 0,
    warnings TEXT
);
"""


@dataclass(frozen=True, slots=True)
class FeedState:
    name: str
    url: str
    etag: str | None
    last_modified: str | None
    body_hash: str | None
    last_fetch_at: datetime | None
    last_success_at: datetime | None
    last_outcome: str | None
    last_error: str | None
    last_error_kind: str | None
    consecutive_failures: int
    disabled_reason: str | None
    next_poll_at: datetime | None
    interval_seconds: float | None
    new_articles_last: int
    warnings: str | None


_COLUMNS = (
    "name, url, etag, last_modified, body_hash, last_fetch_at, last_success_at, last_outcome, last_error, "
    "last_error_kind, consecutive_failures, disabled_reason, next_poll_at, interval_seconds, new_articles_last, warnings"
)


class FeedStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    def sync(self, feeds: Iterable[tuple[str, str]]) -> None:
        """Make sure every configured (name, url) has a row; a changed URL forgets the old validators."""
        with self._db.transaction() as db:
            known = dict(db.execute("SELECT name, url FROM feed_state").fetchall())
            for name, url in feeds:
                if name not in known:
                    db.execute("INSERT INTO feed_state (name, url) VALUES (?, ?)", (name, url))
                    known[name] = url
                elif known[name] != url:
                    db.execute(
                        "UPDATE feed_state SET url = ?, etag = NULL, last_modified = NULL, body_hash = NULL WHERE name = ?",
                        (url, name),
                    )

    def get(self, name: str) -> FeedState | None:
        row = self._db.row(f"SELECT {_COLUMNS} FROM feed_state WHERE name = ?", (name,))
        return _feed_state(row) if row else None

    def all(self) -> list[FeedState]:
        return [_feed_state(row) for row in self._db.rows(f"SELECT {_COLUMNS} FROM feed_state ORDER BY name")]

    def record_success(
        self,
        name: str,
        *,
        outcome: str,
        etag: str | None,
        last_modified: str | None,
        body_hash: str | None,
        new_articles: int,
        warnings: list[str],
        next_poll_at: datetime | None,
        interval_seconds: float | None,
    ) -> None:
        now = iso(now_utc())
        self._db.write(
            "UPDATE feed_state SET etag = coalesce(?, etag), last_modified = coalesce(?, last_modified), "
            "body_hash = coalesce(?, body_hash), last_fetch_at = ?, last_success_at = ?, last_outcome = ?, "
            "last_error = NULL, last_error_kind = NULL, consecutive_failures = 0, new_articles_last = ?, "
            "warnings = ?, next_poll_at = ?, interval_seconds = coalesce(?, interval_seconds) WHERE name = ?",
            (etag, last_modified, body_hash, now, now, outcome, new_articles, "; ".join(warnings) or None,
             iso(next_poll_at), interval_seconds, name),
        )

    def record_failure(
        self, name: str, *, kind: str, message: str, next_poll_at: datetime | None, disable_reason: str | None = None
    ) -> None:
        now = iso(now_utc())
        self._db.write(
            "UPDATE feed_state SET last_fetch_at = ?, last_outcome = 'failed', last_error = ?, last_error_kind = ?, "
            "consecutive_failures = consecutive_failures + 1, next_poll_at = ?, "
            "disabled_reason = coalesce(?, disabled_reason), "
            "disabled_at = CASE WHEN ? IS NULL THEN disabled_at ELSE ? END WHERE name = ?",
            (now, message, kind, iso(next_poll_at), disable_reason, disable_reason, now, name),
        )

    def forget_validators(self, name: str) -> None:
        """The next poll reads the whole feed (no conditional GET, no same-body shortcut): entries wait in it."""
        self._db.write("UPDATE feed_state SET etag = NULL, last_modified = NULL, body_hash = NULL WHERE name = ?", (name,))

    def enable(self, name: str) -> bool:
        """Enable a disabled feed and poll it at once; False when no such feed is known."""
        return self._db.write(
            "UPDATE feed_state SET disabled_reason = NULL, disabled_at = NULL, consecutive_failures = 0, "
            "next_poll_at = NULL WHERE name = ?",
            (name,),
        ) > 0

    def future_poll(self, name: str, now: datetime) -> datetime | None:
        """The stored next poll of an enabled feed, when it is still ahead of `now`."""
        stored = self.get(name)
        if stored and stored.next_poll_at and stored.next_poll_at > now and not stored.disabled_reason:
            return stored.next_poll_at
        return None


def _feed_state(row: tuple) -> FeedState:  # type: ignore[type-arg]
    values = list(row)
    for index in (5, 6, 12):
        values[index] = moment(values[index])
    return FeedState(*values)

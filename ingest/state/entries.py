"""Per feed entry: done, failed, or to retry; the publisher's version, so an updated entry is read again."""

from __future__ import annotations

import sqlite3

from tradewire.core.clock import iso, now_utc
from tradewire.core.database import Database

SCHEMA = """
CREATE TABLE IF NOT EXISTS entries (
    feed TEXT NOT NULL,
    key TEXT NOT NULL,
    link TEXT,
    article_id TEXT,
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    first_seen TEXT NOT NULL,
    last_error TEXT,
    version TEXT,
    PRIMARY KEY (feed, key)
);
"""

_MARK_DONE = (
    "INSERT INTO entries (feed, key, link, article_id, state, attempts, first_seen, version) "
    "VALUES (?, ?, ?, ?, 'done', 0, ?, ?) ON CONFLICT (feed, key) DO UPDATE SET state = 'done', "
    "article_id = excluded.article_id, last_error = NULL, version = excluded.version"
)
_CHUNK = 500  # keys per SELECT: below SQLite's limit on bound parameters


def upgrade(db: sqlite3.Connection) -> None:
    """A state database from before entry versions gains the column."""
    columns = {row[1] for row in db.execute("PRAGMA table_info(entries)")}
    if "version" not in columns:
        db.execute("ALTER TABLE entries ADD COLUMN version TEXT")


class EntryStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    def to_process(self, feed: str, versions: dict[str, str], max_attempts: int) -> set[str]:
        """The keys (with their current versions) that are new, updated by the publisher since they were read, or
        failed transiently fewer than `max_attempts` times. Entries recorded before versions existed adopt theirs."""
        todo: set[str] = set()
        adopted: list[tuple[str, str, str]] = []
        keys = list(versions)
        for start in range(0, len(keys), _CHUNK):
            chunk = keys[start : start + _CHUNK]
            marks = ",".join("?" * len(chunk))
            known = {
                key: (state, attempts, version)
                for key, state, attempts, version in self._db.rows(
                    f"SELECT key, state, attempts, version FROM entries WHERE feed = ? AND key IN ({marks})", (feed, *chunk)
                )
            }
            for key in chunk:
                if key not in known:
                    todo.add(key)
                    continue
                state, attempts, version = known[key]
                if version is None:
                    adopted.append((versions[key], feed, key))
                if (state == "retry" and attempts < max_attempts) or (version is not None and version != versions[key]):
                    todo.add(key)
        if adopted:
            with self._db.transaction() as db:
                db.executemany("UPDATE entries SET version = ? WHERE feed = ? AND key = ?", adopted)
        return todo

    def has_retries(self, feed: str, max_attempts: int) -> bool:
        """Whether some of the feed's entries failed transiently and are still to be retried."""
        row = self._db.row(
            "SELECT 1 FROM entries WHERE feed = ? AND state = 'retry' AND attempts < ? LIMIT 1", (feed, max_attempts)
        )
        return row is not None

    def attempts(self, feed: str, key: str) -> int:
        row = self._db.row("SELECT attempts FROM entries WHERE feed = ? AND key = ?", (feed, key))
        return int(row[0]) if row else 0

    def record_failure(
        self, feed: str, key: str, link: str | None, error: str, *, retry: bool, version: str | None = None
    ) -> None:
        self._db.write(
            "INSERT INTO entries (feed, key, link, state, attempts, first_seen, last_error, version) "
            "VALUES (?, ?, ?, ?, 1, ?, ?, ?) ON CONFLICT (feed, key) DO UPDATE SET state = excluded.state, "
            "attempts = attempts + 1, last_error = excluded.last_error, version = excluded.version",
            (feed, key, link, "retry" if retry else "failed", iso(now_utc()), error, version),
        )

    def mark_done(self, feed: str, key: str, link: str | None, article_id: str | None, version: str | None = None) -> None:
        with self._db.transaction() as db:
            mark_done_in(db, feed, key, link, article_id, version)


def mark_done_in(
    db: sqlite3.Connection, feed: str, key: str, link: str | None, article_id: str | None, version: str | None
) -> None:
    """Mark an entry done inside a transaction the caller holds (accepting an article does this with the rest)."""
    db.execute(_MARK_DONE, (feed, key, link, article_id, iso(now_utc()), version))

"""Accepted articles waiting to be written to the index, kept until the index confirms them; and the pause a
reindex puts on index writes."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from tradewire.core.clock import iso, now_utc
from tradewire.core.database import Database

SCHEMA = """
CREATE TABLE IF NOT EXISTS index_pause (id INTEGER PRIMARY KEY CHECK (id = 1), reason TEXT NOT NULL, until TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS spool (
    article_id TEXT PRIMARY KEY,
    document TEXT NOT NULL,
    queued_at TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT
);
CREATE INDEX IF NOT EXISTS spool_queued ON spool (queued_at);
"""


class Spool:
    def __init__(self, db: Database) -> None:
        self._db = db

    def oldest(self, limit: int) -> list[tuple[str, str]]:
        """(article id, document JSON) of the longest-waiting articles."""
        return self._db.rows("SELECT article_id, document FROM spool ORDER BY queued_at LIMIT ?", (limit,))

    def confirmed(self, indexed: dict[str, str]) -> None:
        """Remove articles the index confirmed, unless a newer version was queued meanwhile (same document text)."""
        with self._db.transaction() as db:
            db.executemany("DELETE FROM spool WHERE article_id = ? AND document = ?", list(indexed.items()))

    def refused(self, failures: dict[str, str]) -> None:
        """Count a failed write against each article (they stay spooled), with the index's reason."""
        with self._db.transaction() as db:
            db.executemany(
                "UPDATE spool SET attempts = attempts + 1, last_error = ? WHERE article_id = ?",
                [(error, article_id) for article_id, error in failures.items()],
            )

    def queue_unspooled(self, documents: dict[str, str]) -> int:
        """Queue each document whose id is not spooled already (a spooled version is newer than the index's, and
        stays); how many were queued."""
        with self._db.transaction() as db:
            before = db.total_changes
            db.executemany(
                "INSERT OR IGNORE INTO spool (article_id, document, queued_at) VALUES (?, ?, ?)",
                [(article_id, document, iso(now_utc())) for article_id, document in documents.items()],
            )
            return int(db.total_changes - before)

    def size(self) -> int:
        return int(self._db.row("SELECT count(*) FROM spool")[0])

    def errors(self, limit: int = 20) -> list[tuple[str, int, str]]:
        return self._db.rows(
            "SELECT article_id, attempts, last_error FROM spool WHERE last_error IS NOT NULL ORDER BY attempts DESC LIMIT ?",
            (limit,),
        )

    def pause(self, reason: str, until: datetime) -> None:
        """Hold index writes (articles stay spooled) until `until` or `resume`, e.g. during a reindex."""
        self._db.write("INSERT OR REPLACE INTO index_pause (id, reason, until) VALUES (1, ?, ?)", (reason, iso(until)))

    def resume(self) -> None:
        self._db.write("DELETE FROM index_pause")

    def paused(self) -> str | None:
        row = self._db.row("SELECT reason, until FROM index_pause")
        if row is None or datetime.fromisoformat(row[1]) <= now_utc():
            return None
        return str(row[0])


def queue_in(db: sqlite3.Connection, article_id: str, document: str) -> None:
    """Queue (or replace) an article's document inside a transaction the caller holds."""
    db.execute(
        "INSERT OR REPLACE INTO spool (article_id, document, queued_at, attempts, last_error) VALUES (?, ?, ?, 0, NULL)",
        (article_id, document, iso(now_utc())),
    )

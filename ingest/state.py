"""Persistent ingestion state in SQLite (WAL, one transaction per change) under the data directory.

feed_state: conditional-GET validators, last outcome and error, failures, schedule position.
entries: the entries seen per feed, and those to retry.
documents: what was accepted per article id (content hash, story), so unchanged articles are skipped.
story_signatures / story_bands: MinHash signatures and LSH bands that group syndicated copies into stories.
spool: accepted articles waiting to be written to the index, kept until the index confirms them.
"""

from __future__ import annotations

import os
import sqlite3
import struct
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from ingest.articles.process import SIGNATURE_PERMUTATIONS

_SCHEMA = """
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
CREATE TABLE IF NOT EXISTS documents (
    id TEXT PRIMARY KEY,
    canonical_url TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    story_id TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS story_signatures (article_id TEXT PRIMARY KEY, story_id TEXT NOT NULL, signature BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS story_bands (band_key BLOB NOT NULL, article_id TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS story_bands_key ON story_bands (band_key);
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

# 16 bands of 4 rows: copies whose MinHash agree on a whole band become candidates (Jaccard about 0.5 and up).
_BANDS = 16
_ROWS = SIGNATURE_PERMUTATIONS // _BANDS
SAME_STORY_SIMILARITY = 0.5


class StateError(RuntimeError):
    """The state database cannot be opened or written (read-only directory, full disk, corruption)."""


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


def now_utc() -> datetime:
    return datetime.now(timezone.utc)


def _iso(moment: datetime | None) -> str | None:
    return moment.astimezone(timezone.utc).isoformat() if moment else None


def _moment(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


class StateStore:
    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
            self._db.execute("PRAGMA journal_mode = WAL")
            self._db.execute("PRAGMA synchronous = NORMAL")
            self._db.executescript(_SCHEMA)
            columns = {row[1] for row in self._db.execute("PRAGMA table_info(entries)")}
            if "version" not in columns:  # a state database from before entry versions
                self._db.execute("ALTER TABLE entries ADD COLUMN version TEXT")
        except (sqlite3.Error, OSError) as error:
            hint = "" if os.access(path.parent, os.W_OK) else f" (the data directory {path.parent} is not writable: read-only?)"
            raise StateError(f"cannot open the state database {path}: {error}{hint}") from error

    def close(self) -> None:
        self._db.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """One IMMEDIATE transaction; any SQLite failure (disk full, read-only) becomes StateError and nothing is half-written."""
        try:
            self._db.execute("BEGIN IMMEDIATE")
            yield self._db
            self._db.execute("COMMIT")
        except sqlite3.Error as error:
            self._rollback()
            raise StateError(f"cannot write the state database {self.path}: {error}") from error
        except BaseException:
            self._rollback()
            raise

    def _rollback(self) -> None:
        # SQLite has already rolled back after some errors (SQLITE_FULL, for one).
        if self._db.in_transaction:
            self._db.execute("ROLLBACK")

    def _write(self, sql: str, params: Iterable[object] = ()) -> None:
        with self._transaction() as db:
            db.execute(sql, tuple(params))

    # feeds

    def sync_feeds(self, feeds: Iterable[tuple[str, str]]) -> None:
        """Make sure every configured (name, url) has a row; a changed URL forgets the old validators."""
        with self._transaction() as db:
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

    def feed(self, name: str) -> FeedState | None:
        row = self._db.execute(f"SELECT {_FEED_COLUMNS} FROM feed_state WHERE name = ?", (name,)).fetchone()
        return _feed_state(row) if row else None

    def feeds(self) -> list[FeedState]:
        rows = self._db.execute(f"SELECT {_FEED_COLUMNS} FROM feed_state ORDER BY name").fetchall()
        return [_feed_state(row) for row in rows]

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
        now = _iso(now_utc())
        self._write(
            "UPDATE feed_state SET etag = coalesce(?, etag), last_modified = coalesce(?, last_modified), "
            "body_hash = coalesce(?, body_hash), last_fetch_at = ?, last_success_at = ?, last_outcome = ?, "
            "last_error = NULL, last_error_kind = NULL, consecutive_failures = 0, new_articles_last = ?, "
            "warnings = ?, next_poll_at = ?, interval_seconds = coalesce(?, interval_seconds) WHERE name = ?",
            (etag, last_modified, body_hash, now, now, outcome, new_articles, "; ".join(warnings) or None,
             _iso(next_poll_at), interval_seconds, name),
        )

    def record_failure(
        self, name: str, *, kind: str, message: str, next_poll_at: datetime | None, disable_reason: str | None = None
    ) -> int:
        """Record a failed poll; returns the number of consecutive failures."""
        now = _iso(now_utc())
        with self._transaction() as db:
            db.execute(
                "UPDATE feed_state SET last_fetch_at = ?, last_outcome = 'failed', last_error = ?, last_error_kind = ?, "
                "consecutive_failures = consecutive_failures + 1, next_poll_at = ?, "
                "disabled_reason = coalesce(?, disabled_reason), "
                "disabled_at = CASE WHEN ? IS NULL THEN disabled_at ELSE ? END WHERE name = ?",
                (now, message, kind, _iso(next_poll_at), disable_reason, disable_reason, now, name),
            )
            row = db.execute("SELECT consecutive_failures FROM feed_state WHERE name = ?", (name,)).fetchone()
        return int(row[0]) if row else 0

    def disable(self, name: str, reason: str) -> None:
        self._write("UPDATE feed_state SET disabled_reason = ?, disabled_at = ? WHERE name = ?", (reason, _iso(now_utc()), name))

    def enable(self, name: str) -> bool:
        with self._transaction() as db:
            cursor = db.execute(
                "UPDATE feed_state SET disabled_reason = NULL, disabled_at = NULL, consecutive_failures = 0, "
                "next_poll_at = NULL WHERE name = ?",
                (name,),
            )
        return cursor.rowcount > 0

    def set_next_poll(self, name: str, moment: datetime, interval_seconds: float | None = None) -> None:
        self._write(
            "UPDATE feed_state SET next_poll_at = ?, interval_seconds = coalesce(?, interval_seconds) WHERE name = ?",
            (_iso(moment), interval_seconds, name),
        )

    # entries

    def entries_to_process(self, feed: str, versions: dict[str, str], max_attempts: int) -> set[str]:
        """The keys (with their current versions) that are new, updated by the publisher since they were read, or
        failed transiently fewer than `max_attempts` times. Entries recorded before versions existed adopt theirs."""
        todo: set[str] = set()
        adopted: list[tuple[str, str, str]] = []
        keys = list(versions)
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            marks = ",".join("?" * len(chunk))
            known = {
                key: (state, attempts, version)
                for key, state, attempts, version in self._db.execute(
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
            with self._transaction() as db:
                db.executemany("UPDATE entries SET version = ? WHERE feed = ? AND key = ?", adopted)
        return todo

    def has_retries(self, feed: str, max_attempts: int) -> bool:
        """Whether some of the feed's entries failed transiently and are still to be retried."""
        row = self._db.execute(
            "SELECT 1 FROM entries WHERE feed = ? AND state = 'retry' AND attempts < ? LIMIT 1", (feed, max_attempts)
        ).fetchone()
        return row is not None

    def entry_attempts(self, feed: str, key: str) -> int:
        row = self._db.execute("SELECT attempts FROM entries WHERE feed = ? AND key = ?", (feed, key)).fetchone()
        return int(row[0]) if row else 0

    def record_entry_failure(
        self, feed: str, key: str, link: str | None, error: str, *, retry: bool, version: str | None = None
    ) -> None:
        self._write(
            "INSERT INTO entries (feed, key, link, state, attempts, first_seen, last_error, version) "
            "VALUES (?, ?, ?, ?, 1, ?, ?, ?) ON CONFLICT (feed, key) DO UPDATE SET state = excluded.state, "
            "attempts = attempts + 1, last_error = excluded.last_error, version = excluded.version",
            (feed, key, link, "retry" if retry else "failed", _iso(now_utc()), error, version),
        )

    def mark_entry_done(self, feed: str, key: str, link: str | None, article_id: str | None, version: str | None = None) -> None:
        self._write(_MARK_DONE, (feed, key, link, article_id, _iso(now_utc()), version))

    # documents and stories

    def document_version(self, article_id: str) -> tuple[str, str] | None:
        """(content_hash, story_id) of the accepted version of an article."""
        row = self._db.execute("SELECT content_hash, story_id FROM documents WHERE id = ?", (article_id,)).fetchone()
        return (row[0], row[1]) if row else None

    def find_story(self, article_id: str, signature: bytes) -> str | None:
        """The story of an earlier article this one is a copy of, if any."""
        values = _signature_values(signature)
        candidates: set[str] = set()
        for key in _band_keys(values):
            candidates.update(
                row[0] for row in self._db.execute("SELECT article_id FROM story_bands WHERE band_key = ?", (key,))
            )
        candidates.discard(article_id)
        best: tuple[float, str] | None = None
        for candidate in candidates:
            row = self._db.execute(
                "SELECT story_id, signature FROM story_signatures WHERE article_id = ?", (candidate,)
            ).fetchone()
            if row is None:
                continue
            other = _signature_values(row[1])
            similarity = sum(a == b for a, b in zip(values, other)) / len(values)
            if similarity >= SAME_STORY_SIMILARITY and (best is None or similarity > best[0]):
                best = (similarity, row[0])
        return best[1] if best else None

    def accept(
        self, *, feed: str, key: str, link: str | None, article_id: str, canonical_url: str, content_hash: str,
        story_id: str, signature: bytes, document_json: str, version: str | None = None,
    ) -> None:
        """Record an accepted article and queue it for the index, atomically with marking its entry done."""
        now = _iso(now_utc())
        with self._transaction() as db:
            db.execute(
                "INSERT INTO documents (id, canonical_url, content_hash, story_id, updated_at) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET content_hash = excluded.content_hash, story_id = excluded.story_id, "
                "updated_at = excluded.updated_at",
                (article_id, canonical_url, content_hash, story_id, now),
            )
            db.execute(
                "INSERT OR REPLACE INTO story_signatures (article_id, story_id, signature) VALUES (?, ?, ?)",
                (article_id, story_id, signature),
            )
            db.execute("DELETE FROM story_bands WHERE article_id = ?", (article_id,))
            db.executemany(
                "INSERT INTO story_bands (band_key, article_id) VALUES (?, ?)",
                [(band, article_id) for band in _band_keys(_signature_values(signature))],
            )
            db.execute(
                "INSERT OR REPLACE INTO spool (article_id, document, queued_at, attempts, last_error) VALUES (?, ?, ?, 0, NULL)",
                (article_id, document_json, now),
            )
            db.execute(_MARK_DONE, (feed, key, link, article_id, now, version))

    # the index spool

    def spooled(self, limit: int) -> list[tuple[str, str]]:
        return self._db.execute(
            "SELECT article_id, document FROM spool ORDER BY queued_at LIMIT ?", (limit,)
        ).fetchall()

    def unspool(self, indexed: dict[str, str]) -> None:
        """Remove articles the index confirmed, unless a newer version was queued meanwhile (same document text)."""
        with self._transaction() as db:
            db.executemany("DELETE FROM spool WHERE article_id = ? AND document = ?", list(indexed.items()))

    def spool_failed(self, failures: dict[str, str]) -> None:
        with self._transaction() as db:
            db.executemany(
                "UPDATE spool SET attempts = attempts + 1, last_error = ? WHERE article_id = ?",
                [(error, article_id) for article_id, error in failures.items()],
            )

    def spool_size(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM spool").fetchone()[0])

    def spool_errors(self, limit: int = 20) -> list[tuple[str, int, str]]:
        return self._db.execute(
            "SELECT article_id, attempts, last_error FROM spool WHERE last_error IS NOT NULL ORDER BY attempts DESC LIMIT ?",
            (limit,),
        ).fetchall()

    def pause_index(self, reason: str, until: datetime) -> None:
        """Hold index writes (articles stay spooled) until `until` or `resume_index`, e.g. during a reindex."""
        self._write("INSERT OR REPLACE INTO index_pause (id, reason, until) VALUES (1, ?, ?)", (reason, _iso(until)))

    def resume_index(self) -> None:
        self._write("DELETE FROM index_pause")

    def index_paused(self) -> str | None:
        row = self._db.execute("SELECT reason, until FROM index_pause").fetchone()
        if row is None or datetime.fromisoformat(row[1]) <= now_utc():
            return None
        return row[0]

    def document_count(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM documents").fetchone()[0])


_MARK_DONE = (
    "INSERT INTO entries (feed, key, link, article_id, state, attempts, first_seen, version) "
    "VALUES (?, ?, ?, ?, 'done', 0, ?, ?) ON CONFLICT (feed, key) DO UPDATE SET state = 'done', "
    "article_id = excluded.article_id, last_error = NULL, version = excluded.version"
)
_FEED_COLUMNS = (
    "name, url, etag, last_modified, body_hash, last_fetch_at, last_success_at, last_outcome, last_error, "
    "last_error_kind, consecutive_failures, disabled_reason, next_poll_at, interval_seconds, new_articles_last, warnings"
)


def _feed_state(row: tuple) -> FeedState:  # type: ignore[type-arg]
    values = list(row)
    for index in (5, 6, 12):
        values[index] = _moment(values[index])
    return FeedState(*values)


def _signature_values(signature: bytes) -> tuple[int, ...]:
    return struct.unpack(f"<{len(signature) // 4}I", signature)


def _band_keys(values: tuple[int, ...]) -> list[bytes]:
    return [
        struct.pack(f"<B{_ROWS}I", band, *values[band * _ROWS : (band + 1) * _ROWS]) for band in range(_BANDS)
    ]

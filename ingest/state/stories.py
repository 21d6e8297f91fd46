"""Accepted articles (content hash, story) and the story matcher: copies found through LSH bands of signatures.

A signature's values are cut into 16 bands; copies whose values agree on a whole band become candidates (with 4
values a band, Jaccard similarity about 0.5 and up), and a candidate with at least half its values equal joins
the story. Signatures come from ingest.articles.signature.
"""

from __future__ import annotations

import sqlite3
import struct

from tradewire.core.clock import iso, now_utc
from tradewire.core.database import Database
from tradewire.ingest.articles.signature import similarity

SCHEMA = """
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
"""

_BANDS = 16
SAME_STORY_SIMILARITY = 0.5


class StoryStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    def version_of(self, article_id: str) -> tuple[str, str] | None:
        """(content_hash, story_id) of the accepted version of an article."""
        row = self._db.row("SELECT content_hash, story_id FROM documents WHERE id = ?", (article_id,))
        return (row[0], row[1]) if row else None

    def find(self, article_id: str, signature: bytes) -> str | None:
        """The story of an earlier article this one is a copy of, if any."""
        # One query for the candidates of all bands and their signatures (not one per band and per candidate: 17
        # or more queries an article were a fifth of the parent's state work in a cycle).
        keys = _band_keys(signature)
        rows = self._db.rows(
            "SELECT s.article_id, s.story_id, s.signature FROM story_signatures s WHERE s.article_id IN "
            f"(SELECT DISTINCT article_id FROM story_bands WHERE band_key IN ({','.join('?' * len(keys))})) "
            "AND s.article_id != ? ORDER BY s.article_id",
            (*keys, article_id),
        )
        best: tuple[float, str] | None = None
        for _, story_id, stored in rows:
            share = similarity(signature, stored)
            if share >= SAME_STORY_SIMILARITY and (best is None or share > best[0]):
                best = (share, story_id)
        return best[1] if best else None


def remember_in(
    db: sqlite3.Connection, *, article_id: str, canonical_url: str, content_hash: str, story_id: str, signature: bytes
) -> None:
    """Record an accepted version and its signature inside a transaction the caller holds."""
    db.execute(
        "INSERT INTO documents (id, canonical_url, content_hash, story_id, updated_at) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT (id) DO UPDATE SET content_hash = excluded.content_hash, story_id = excluded.story_id, "
        "updated_at = excluded.updated_at",
        (article_id, canonical_url, content_hash, story_id, iso(now_utc())),
    )
    db.execute(
        "INSERT OR REPLACE INTO story_signatures (article_id, story_id, signature) VALUES (?, ?, ?)",
        (article_id, story_id, signature),
    )
    db.execute("DELETE FROM story_bands WHERE article_id = ?", (article_id,))
    db.executemany(
        "INSERT INTO story_bands (band_key, article_id) VALUES (?, ?)",
        [(band, article_id) for band in _band_keys(signature)],
    )


def _band_keys(signature: bytes) -> list[bytes]:
    """One key per band: the band's number and its values, so equal values in different bands never collide."""
    width = len(signature) // _BANDS
    return [struct.pack("<B", band) + signature[band * width : (band + 1) * width] for band in range(_BANDS)]

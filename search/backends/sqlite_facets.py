"""Facet counts for the embedded index, from one roaring bitmap of rowids per facet value (and one of every
article, for NOT and the match-all query).

Counting facets with GROUP BY over `article_keys` reads every key row of every matching article (dozens
per article, so millions of rows for a broad query over 100,000 articles); intersecting the matching set
with one bitmap per value costs microseconds. The bitmaps live in `facet_postings`, are updated in the
writer's transaction, and are cached per backend: a reader loads only the postings written since the
generation it holds.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Iterable, Iterator

import apsw
from pyroaring import BitMap, FrozenBitMap

from tradewire.core.article import Article
from tradewire.core.document import Document, document_from_json
from tradewire.search.backends.sqlite_generation import current_generation
from tradewire.search.query.sqlite import sql_time
from tradewire.search.results import KEYWORD_FACETS, FacetBucket, entity_bucket

SCHEMA = """
CREATE TABLE IF NOT EXISTS facet_postings (
    field TEXT NOT NULL,
    value TEXT NOT NULL,
    generation INTEGER NOT NULL,
    rowids BLOB NOT NULL,
    PRIMARY KEY (field, value)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS facet_postings_generation ON facet_postings (generation);
"""
# stored field -> result name
FACETS = {field: name for name, field in KEYWORD_FACETS.items()} | {"day": "days"}
EVERY_DOCUMENT: tuple[str, str] = ("article", "")  # a posting of every rowid, for NOT and the match-all query

FacetKey = tuple[str, str]


def facet_values(document: Document) -> Iterator[FacetKey]:
    yield EVERY_DOCUMENT
    yield "kind", document.kind
    if isinstance(document, Article):
        for tag in document.tags:
            yield "tag", tag.name
        yield "source", document.source.lower()
        for value in document.entity_facets():
            yield "entity_facet", value
    if document.published is not None:
        yield "day", sql_time(document.published)[:10]


class PostingChanges:
    """Rowids to add to and remove from facet postings, gathered during one write transaction."""

    def __init__(self) -> None:
        self.added: defaultdict[FacetKey, list[int]] = defaultdict(list)
        self.removed: defaultdict[FacetKey, list[int]] = defaultdict(list)

    def add(self, rowid: int, keys: Iterable[FacetKey]) -> None:
        for key in keys:
            self.added[key].append(rowid)

    def remove(self, rowid: int, keys: Iterable[FacetKey]) -> None:
        for key in keys:
            self.removed[key].append(rowid)

    def write(self, connection: apsw.Connection, generation: int) -> None:
        """Apply the changes inside the caller's transaction, stamped with its generation."""
        for key in self.added.keys() | self.removed.keys():
            row = connection.execute(
                "SELECT rowids FROM facet_postings WHERE field = ? AND value = ?", key
            ).fetchone()
            rowids = BitMap.deserialize(row[0]) if row else BitMap()
            rowids -= BitMap(self.removed.get(key, ()))
            rowids |= BitMap(self.added.get(key, ()))
            _store(connection, key, rowids, generation)


def rebuild(connection: apsw.Connection, generation: int) -> None:
    """Recompute every posting from the stored documents (schema upgrade, reindex)."""
    postings: defaultdict[FacetKey, BitMap] = defaultdict(BitMap)
    for rowid, document in connection.execute("SELECT rowid, document FROM articles"):
        for key in facet_values(document_from_json(document)):
            postings[key].add(rowid)
    # Values no article has any more are kept empty, so that cached readers see them drop to zero.
    connection.execute("UPDATE facet_postings SET rowids = ?, generation = ?", (BitMap().serialize(), generation))
    for key, rowids in postings.items():
        _store(connection, key, rowids, generation)


def copy_posting(connection: apsw.Connection, source: FacetKey, target: FacetKey, generation: int) -> None:
    """Give `target` the rowids of `source` (a schema upgrade that adds a value every document has)."""
    row = connection.execute("SELECT rowids FROM facet_postings WHERE field = ? AND value = ?", source).fetchone()
    _store(connection, target, BitMap.deserialize(row[0]) if row else BitMap(), generation)


def _store(connection: apsw.Connection, key: FacetKey, rowids: BitMap, generation: int) -> None:
    rowids.run_optimize()
    connection.execute(
        "INSERT INTO facet_postings (field, value, generation, rowids) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (field, value) DO UPDATE SET generation = excluded.generation, rowids = excluded.rowids",
        (*key, generation, rowids.serialize()),
    )


class FacetCache:
    """The postings of one index file, shared by the backend's threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._generation = 0
        self._postings: dict[str, dict[str, FrozenBitMap]] = self._empty()
        self._days_newest_first: list[FrozenBitMap] | None = None

    @staticmethod
    def _empty() -> dict[str, dict[str, FrozenBitMap]]:
        return {field: {} for field in (*FACETS, EVERY_DOCUMENT[0])}

    def everything(self, connection: apsw.Connection) -> FrozenBitMap:
        """The rowids of all articles."""
        with self._lock:
            self._catch_up(connection)
            field, value = EVERY_DOCUMENT
            return self._postings[field].get(value, FrozenBitMap())

    def days_newest_first(self, connection: apsw.Connection) -> list[FrozenBitMap]:
        """The rowids published on each day, the latest day first (for newest-first pages)."""
        with self._lock:
            self._catch_up(connection)
            if self._days_newest_first is None:
                days = self._postings["day"]
                self._days_newest_first = [days[day] for day in sorted(days, reverse=True)]
            return self._days_newest_first

    def count(self, connection: apsw.Connection, matching: BitMap, size: int) -> dict[str, list[FacetBucket]]:
        """Top `size` values per facet (by count, then value) among `matching`; every day, in order."""
        with self._lock:
            self._catch_up(connection)
            facets: dict[str, list[FacetBucket]] = {}
            for field, name in FACETS.items():
                counts = [
                    (value, count)
                    for value, rowids in self._postings[field].items()
                    if (count := matching.intersection_cardinality(rowids))
                ]
                if field == "day":
                    facets[name] = [FacetBucket(day, count) for day, count in sorted(counts)]
                    continue
                top = sorted(counts, key=lambda item: (-item[1], item[0]))[:size]
                bucket = entity_bucket if field == "entity_facet" else FacetBucket
                facets[name] = [bucket(value, count) for value, count in top]
        return facets

    def _catch_up(self, connection: apsw.Connection) -> None:
        generation = current_generation(connection)
        if generation == self._generation:
            return
        if generation < self._generation:  # the file was replaced: start over
            self._postings = self._empty()
            self._generation = 0
        self._days_newest_first = None
        if self._generation:
            rows = connection.execute(
                "SELECT field, value, rowids FROM facet_postings WHERE generation > ?", (self._generation,)
            )
        else:  # the whole table in its own order: through the generation index, each posting is a lookup of its own
            rows = connection.execute("SELECT field, value, rowids FROM facet_postings")
        for field, value, rowids in rows:
            bitmap = FrozenBitMap.deserialize(rowids)  # shared by every search: never changed in place
            if bitmap:
                self._postings[field][value] = bitmap
            else:
                self._postings[field].pop(value, None)
        self._generation = generation

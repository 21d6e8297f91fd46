"""The best BM25 hits of the embedded index for a page of relevance-sorted results, by FTS5's bm25(): for the
queries search.backends.sqlite_term_scores leaves to it (phrases of several words, words in one field,
prefixes of many terms).

FTS5 scores every article an expression matches, one row at a time on one core (docs/benchmarks.md: about
a microsecond a match). A large match set is therefore cut into rowid slices of equal size, scored at once on one
connection per thread (apsw lets go of the GIL while SQLite works); only the best scores of each slice, with
those tied at its cut, are read back into Python and merged.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import apsw
from pyroaring import AbstractBitMap

Score = tuple[int, float]  # rowid, FTS5 bm25 (lower is better)

SLICES = min(4, os.cpu_count() or 1)
SLICED_FROM = 4_000  # matches; scoring fewer takes about 3 ms, not worth a hand-over to threads

_IN_SLICE = "articles_fts MATCH ? AND rowid >= ? AND rowid <= ?"
_BEST = f"SELECT rowid, bm25(articles_fts) AS score FROM articles_fts WHERE {_IN_SLICE} ORDER BY score LIMIT ?"
_ALL = f"SELECT rowid, bm25(articles_fts) FROM articles_fts WHERE {_IN_SLICE}"
_UP_TO = _ALL + " AND bm25(articles_fts) <= ?"


class BestScores:
    """Finds the best scores of an expression: large match sets in slices on the scoring threads' connections.

    `connect` gives the calling thread's own connection, so each worker reads on its own, outside the
    caller's read transaction: an article written meanwhile may get a score, and the caller keeps only the
    scores of the matches it counted."""

    def __init__(
        self, connect: Callable[[], apsw.Connection], slices: int = SLICES, sliced_from: int = SLICED_FROM
    ) -> None:
        self._connect = connect
        self._slices = slices
        self._sliced_from = sliced_from
        self._pool: ThreadPoolExecutor | None = None

    def best(self, expression: str, limit: int, matches: AbstractBitMap, within: AbstractBitMap | None) -> list[Score]:
        """The `limit` best (rowid, bm25) of `expression` among `matches` (the rowids it matches, or a superset),
        restricted to `within` when given, with the scores tied at the cut."""
        if not matches:
            return []
        if len(matches) < self._sliced_from or self._slices == 1:  # scored in the caller's own read transaction
            return _best_in_slice(self._connect(), expression, limit, matches.min(), matches.max(), within)
        if self._pool is None:
            self._pool = ThreadPoolExecutor(self._slices, thread_name_prefix="bm25-slice")
        bounds = [matches[len(matches) * part // self._slices] for part in range(self._slices)] + [matches.max() + 1]
        slices = [
            self._pool.submit(self._best_on_own_connection, expression, limit, low, high - 1, within)
            for low, high in zip(bounds, bounds[1:])
            if high > low
        ]
        return _cut(sorted((row for part in slices for row in part.result()), key=lambda row: row[1]), limit)

    def _best_on_own_connection(
        self, expression: str, limit: int, first: int, last: int, within: AbstractBitMap | None
    ) -> list[Score]:
        return _best_in_slice(self._connect(), expression, limit, first, last, within)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None


def _best_in_slice(
    connection: apsw.Connection, expression: str, limit: int, first: int, last: int, within: AbstractBitMap | None
) -> list[Score]:
    """The best scores of rowids `first` to `last`. With `within`, FTS5's own top-k is tried first (a filter
    keeps a fair share of a word's articles); when it keeps too few, every score is read and filtered."""
    bounds = [expression, first, last]
    probe = 2 * limit if within is None else max(200, 20 * limit)
    fetched = connection.execute(_BEST, [*bounds, probe]).fetchall()
    rows = fetched if within is None else [row for row in fetched if row[0] in within]
    if len(fetched) == probe:  # more scores exist than were read
        if len(rows) < limit:
            kept = (row for row in connection.execute(_ALL, bounds) if within is None or row[0] in within)
            rows = sorted(kept, key=lambda row: row[1])
        elif fetched[-1][1] <= rows[limit - 1][1]:  # the cut falls in a run of equal scores (copies): read it all
            tied = connection.execute(_UP_TO, [*bounds, rows[limit - 1][1]])
            rows = sorted((row for row in tied if within is None or row[0] in within), key=lambda row: row[1])
    return _cut(rows, limit)


def _cut(rows: list[Score], limit: int) -> list[Score]:
    """The first `limit` rows of rows sorted by score, and any more tied with the last of them."""
    if len(rows) <= limit:
        return rows
    cutoff = rows[limit - 1][1]
    return [row for row in rows if row[1] <= cutoff]

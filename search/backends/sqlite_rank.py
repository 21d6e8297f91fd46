"""The best BM25 hits of the embedded index for a page of relevance-sorted results.

FTS5 scores every article an expression matches (about 0.9 µs each with SQLite 3.54, 1.5 µs with Debian
12's 3.40: 37 ms for the 42,545 matches of 'export controls' in 100,000 articles); only the best scores,
with those tied at the cut, are read back into Python.
"""

from __future__ import annotations

import apsw
from pyroaring import AbstractBitMap, BitMap

Score = tuple[int, float]  # rowid, FTS5 bm25 (lower is better)

_BEST = "SELECT rowid, bm25(articles_fts) AS score FROM articles_fts WHERE articles_fts MATCH ? ORDER BY score LIMIT ?"
_ALL = "SELECT rowid, bm25(articles_fts) FROM articles_fts WHERE articles_fts MATCH ?"
_UP_TO = _ALL + " AND bm25(articles_fts) <= ?"


def best_scores(
    connection: apsw.Connection, expression: str, limit: int, within: AbstractBitMap | None
) -> list[Score]:
    """The `limit` best (rowid, bm25), among `within` when given, with the scores
    tied at the cut. With `within`, FTS5's own top-k is tried first (a filter keeps a fair share of a word's
    articles); when it keeps too few, every score is read and filtered."""
    probe = 2 * limit if within is None else max(200, 20 * limit)
    fetched = connection.execute(_BEST, [expression, probe]).fetchall()
    rows = fetched if within is None else [row for row in fetched if row[0] in within]
    if len(fetched) == probe:  # more scores exist than were read
        if len(rows) < limit:
            kept = (row for row in connection.execute(_ALL, [expression]) if within is None or row[0] in within)
            rows = sorted(kept, key=lambda row: row[1])
        elif fetched[-1][1] <= rows[limit - 1][1]:  # the cut falls in a run of equal scores (copies): read it all
            tied = connection.execute(_UP_TO, [expression, rows[limit - 1][1]])
            rows = sorted((row for row in tied if within is None or row[0] in within), key=lambda row: row[1])
    return _cut(rows, limit)


def _cut(rows: list[Score], limit: int) -> list[Score]:
    """The first `limit` rows of rows sorted by score, and any more tied with the last of them."""
    if len(rows) <= limit:
        return rows
    cutoff = rows[limit - 1][1]
    return [row for row in rows if row[1] <= cutoff]

"""Which rows make a page of embedded-index results: newest first, or by BM25 with ties and unscored rows newest first.

Only the page is ordered, never the whole result set. Newest first takes the matching rows of the latest
days (the day facet's postings) until the page is full and sorts just those; BM25 pages come from the best
scores (search.backends.sqlite_rank).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence

import apsw
from pyroaring import AbstractBitMap, BitMap

from tradewire.search.backends.sqlite_rank import Score

Days = Sequence[AbstractBitMap]  # rowids published on each day, the latest day first


def newest(connection: apsw.Connection, rowids: AbstractBitMap, skip: int, size: int, days: Days) -> list[int]:
    """Rowids `skip` to `skip + size` of `rowids` by (published descending, missing last; id)."""
    want = skip + size
    if not rowids or size <= 0:
        return []
    taken: list[AbstractBitMap] = []
    count = 0
    for day in days:
        if count >= want:
            break
        if on_day := rowids & day:
            taken.append(on_day)
            count += len(on_day)
    if count < want:  # every day is taken: the undated rows come last
        taken.append(rowids - BitMap.union(*taken) if taken else rowids)
    rows = _dates(connection, BitMap.union(*taken))
    _newest_first(rows, published=lambda row: row[1], article_id=lambda row: row[2])
    return [row[0] for row in rows[skip:want]]


def ranked(
    connection: apsw.Connection, best: Sequence[Score], scored: int, matches: int,
    unscored: Callable[[], AbstractBitMap], skip: int, size: int, days: Days,
) -> list[tuple[int, float | None]]:
    """(rowid, relevance) of the page. `best`: the best scores among the matches (enough for the page, with
    ties); `scored`: how many of the `matches` have a score; those without one (an OR with a filter)
    follow, newest first."""
    want = skip + size
    page: list[tuple[int, float | None]] = []
    if skip < scored and best:
        dates = {rowid: (published, article_id) for rowid, published, article_id in _dates(connection, (r for r, _ in best))}
        candidates = [(rowid, score) for rowid, score in best if rowid in dates]
        _newest_first(candidates, published=lambda pair: dates[pair[0]][0], article_id=lambda pair: dates[pair[0]][1])
        candidates.sort(key=lambda pair: pair[1])  # stable: ties stay newest first
        page = [(rowid, -score) for rowid, score in candidates[skip:want]]
    if len(page) < size and scored < matches:
        rest = newest(connection, unscored(), max(0, skip - scored), size - len(page), days)
        page += [(rowid, None) for rowid in rest]
    return page


def _dates(connection: apsw.Connection, rowids) -> list[tuple[int, str | None, str]]:  # type: ignore[no-untyped-def]
    return connection.execute(
        "SELECT rowid, published, id FROM articles WHERE rowid IN (SELECT value FROM json_each(?))",
        [json.dumps(list(rowids))],
    ).fetchall()


def _newest_first(rows: list, *, published, article_id) -> None:  # type: ignore[no-untyped-def, type-arg]
    """Sort in place by published descending (missing last), then id; Python's sort is stable."""
    rows.sort(key=article_id)
    rows.sort(key=lambda row: published(row) or "", reverse=True)

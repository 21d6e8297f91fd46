"""The searching half of the embedded index (search.backends.sqlite): matching, ranking, the page and its
facets. Imported at a backend's first search: `tradewire show` reads one document by id and needs none of it."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import apsw
from pyroaring import BitMap

from tradewire.core.document import document_from_json
from tradewire.search.backends.sqlite_facets import FacetCache
from tradewire.search.backends.sqlite_order import newest, ranked
from tradewire.search.backends.sqlite_rank import BestScores, Score
from tradewire.search.query.ast import Query
from tradewire.search.query.sqlite import (
    TEXT_MATCHES,
    RowidLookup,
    every_match_scored,
    matching,
    only_words,
    rank_expression,
    ranked_words,
)
from tradewire.search.results import SearchRequest, SearchResult, decode_cursor, encode_cursor, hit

if TYPE_CHECKING:
    from tradewire.search.backends.sqlite_term_scores import TermScores


class SqliteSearch:
    """Searches of one embedded index, with what they keep between searches (facet postings, best scores).
    With `term_counts` off, relevance is scored by FTS5's bm25() alone: the same scores, without numpy and
    every article's length loaded first (about 0.2 s, which only a process that searches again wins back)."""

    def __init__(self, connect: Callable[[], apsw.Connection], *, term_counts: bool) -> None:
        self._term_counts = term_counts
        self._facets = FacetCache()
        self._best_scores = BestScores(connect)
        self._term_scores: TermScores | None = None  # made at the first ranked search: it needs numpy

    def search(self, connection: apsw.Connection, request: SearchRequest) -> SearchResult:
        query = request.query
        offset = decode_cursor(request.cursor, {"offset": int})["offset"] if request.cursor else 0
        everything = self._facets.everything(connection)

        looked_up: dict[tuple[str, tuple[object, ...]], BitMap] = {}

        def lookup(sql: str, params: Sequence[object]) -> BitMap:
            key = (sql, tuple(params))
            if key not in looked_up:  # one JSON array from SQLite parses faster than a Python row per rowid
                looked_up[key] = BitMap(json.loads(
                    connection.execute(f"SELECT json_group_array(rowid) FROM ({sql})", params).fetchone()[0]
                ))
            return looked_up[key]

        rank = rank_expression(query) if request.sort == "relevance" else None
        words_only = rank is not None and only_words(query)  # then the matches are the rank expression's
        if words_only:
            found = lookup(TEXT_MATCHES, [rank])
        else:
            found = matching(query, lookup, lambda: everything)
        days = self._facets.days_newest_first(connection)
        if rank:
            best, unscored = self._best(connection, query, rank, found, offset + request.size, words_only, lookup)
            page = ranked(
                connection, [score for score in best if score[0] in found], len(found) - len(unscored), len(found),
                lambda: unscored, offset, request.size, days,
            )
        else:
            page = [(rowid, None) for rowid in newest(connection, found, offset, request.size, days)]
        documents = dict(connection.execute(
            "SELECT rowid, document FROM articles WHERE rowid IN (SELECT value FROM json_each(?))",
            [json.dumps([rowid for rowid, _ in page])],
        ))
        hits = [hit(document_from_json(documents[rowid]), score, request) for rowid, score in page]
        total = len(found)
        next_offset = offset + len(hits)
        next_cursor = encode_cursor({"offset": next_offset}) if next_offset < total and hits else None
        facets = self._facets.count(connection, found, request.facet_size) if request.facets else {}
        return SearchResult(total=total, hits=hits, facets=facets, next_cursor=next_cursor)

    def _best(
        self, connection: apsw.Connection, query: Query, rank: str, found: BitMap, limit: int, words_only: bool,
        lookup: RowidLookup,
    ) -> tuple[list[Score], BitMap]:
        """The best scores among the matches (with ties at the cut), and the matches without a score: from the
        term counts when the query's words allow, else from FTS5's bm25()."""
        words = ranked_words(query) if self._term_counts else None
        if words:
            every_word = every_match_scored(query) or (words_only and len(words) == 1)
            if self._term_scores is None:
                from tradewire.search.backends.sqlite_term_scores import TermScores

                self._term_scores = TermScores()
            by_counts = self._term_scores.best(
                connection, words, found, lambda expression: lookup(TEXT_MATCHES, [expression]), limit, every_word
            )
            if by_counts is not None:
                best, scored = by_counts
                return best, found - scored
        best = self._best_scores.best(rank, limit, found, None if words_only else found)
        unscored = BitMap() if words_only or every_match_scored(query) else found - lookup(TEXT_MATCHES, [rank])
        return best, unscored

    def close(self) -> None:
        self._best_scores.close()

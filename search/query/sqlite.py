"""`Query` -> the set of matching rowids of the embedded index (see search.backends.sqlite for the schema).

Every leaf is one indexed lookup giving a roaring bitmap (FTS5 for text, `article_keys` for keywords,
the `published`/`fetched` indexes for dates); AND, OR and NOT are bitmap operations. Scanning the
articles table with a WHERE clause of sub-selects instead costs a probe per article per leaf.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone

from pyroaring import BitMap

from tradewire.search.analysis import analyze, prefix_form
from tradewire.search.query.ast import And, DateRange, Keyword, MatchAll, Not, Or, Query, Text, positive_texts

RowidLookup = Callable[[str, Sequence[object]], BitMap]  # (SELECT of one rowid column, parameters) -> rowids
TEXT_MATCHES = "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?"


def matching(query: Query, lookup: RowidLookup, everything: Callable[[], BitMap]) -> BitMap:
    """The rowids of the articles `query` matches; `everything` gives the rowids of all articles."""
    if isinstance(query, MatchAll):
        return everything()
    if isinstance(query, And):
        wanted = [matching(item, lookup, everything) for item in query.items if not isinstance(item, Not)]
        result = functools.reduce(operator.and_, wanted) if wanted else everything()
        for item in query.items:
            if isinstance(item, Not):
                result = result - matching(item.item, lookup, everything)
        return result
    if isinstance(query, Or):
        return functools.reduce(operator.or_, (matching(item, lookup, everything) for item in query.items))
    if isinstance(query, Not):
        return everything() - matching(query.item, lookup, everything)
    if isinstance(query, Text):
        return lookup(TEXT_MATCHES, [fts_expression(query)])
    if isinstance(query, Keyword):
        if query.prefix:
            return lookup(
                "SELECT rowid FROM article_keys WHERE field = ? AND value >= ? AND value < ?",
                [query.field, query.value, query.value + "\U0010ffff"],
            )
        return lookup("SELECT rowid FROM article_keys WHERE field = ? AND value = ?", [query.field, query.value])
    if isinstance(query, DateRange):
        conditions, params = [], []
        if query.start is not None:
            conditions.append(f"{query.field} >= ?")
            params.append(sql_time(query.start))
        if query.end is not None:
            conditions.append(f"{query.field} < ?")
            params.append(sql_time(query.end))
        return lookup(f"SELECT rowid FROM articles WHERE {' AND '.join(conditions) or f'{query.field} IS NOT NULL'}", params)
    raise TypeError(f"unknown query node {query!r}")


def rank_expression(query: Query) -> str | None:
    """An FTS5 expression over the query's positive words, for BM25 ranking.

    When every positive word is required (a word, or an AND of words and filters), the expression is their
    AND: BM25 sums over the phrases a document contains, so the scores of matching articles are those of
    the OR, and only the articles that can match are scored.
    """
    texts = positive_texts(query)
    if not texts:
        return None
    joiner = " AND " if every_match_scored(query) else " OR "
    # Words with one analysed form (`licence OR license`) are one phrase: scoring it twice doubles every score alike.
    return joiner.join(dict.fromkeys(f"({fts_expression(text)})" for text in texts))


@dataclass(frozen=True)
class RankedWord:
    """A phrase of the rank expression that is one word or one prefix, in no particular field."""

    expression: str  # the phrase's FTS5 expression, as the rank expression holds it and as `matching` looks it up
    form: str  # the term, or the prefix
    prefix: bool


def ranked_words(query: Query) -> list[RankedWord] | None:
    """The phrases of `rank_expression(query)` in its order, when each is one word or prefix in no field."""
    words: dict[str, RankedWord] = {}
    for text in positive_texts(query):
        forms = [prefix_form(text.value)] if text.prefix else analyze(text.value)
        if text.field or len(forms) != 1 or not forms[0]:
            return None
        expression = fts_expression(text)
        words.setdefault(expression, RankedWord(expression, forms[0], text.prefix))
    return list(words.values()) or None


def every_match_scored(query: Query) -> bool:
    """Whether every positive word of the query is required, so that every match has a BM25 score."""
    return _required_texts(query) == positive_texts(query)


def only_words(query: Query) -> bool:
    """Whether the query is words joined one way (a word, an AND of words, an OR of words): then its matches
    are its rank expression's, and every match has a score."""
    return _words_joined_by(query, And) or _words_joined_by(query, Or)


def _words_joined_by(query: Query, joiner: type[And] | type[Or]) -> bool:
    return isinstance(query, Text) or isinstance(query, joiner) and all(_words_joined_by(item, joiner) for item in query.items)


def _required_texts(query: Query) -> list[Text]:
    if isinstance(query, Text):
        return [query]
    if isinstance(query, And):
        return [text for item in query.items for text in _required_texts(item)]
    return []


def fts_expression(text: Text) -> str:
    if text.prefix:
        body = f'"{prefix_form(text.value)}" *'
    else:
        body = '"' + " ".join(analyze(text.value)) + '"'
    return f"{{{text.field}}} : {body}" if text.field else body


def sql_time(moment: datetime) -> str:
    """Timestamps are stored as fixed-width UTC text so that string order is time order."""
    return moment.astimezone(timezone.utc).isoformat(timespec="microseconds").replace("+00:00", "Z")  # years < 1000 padded

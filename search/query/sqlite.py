"""`Query` -> SQL over the embedded index's tables (see search.backends.sqlite for the schema)."""

from __future__ import annotations

from datetime import datetime, timezone

from search.analysis import analyze, prefix_form
from search.query.ast import And, DateRange, Keyword, MatchAll, Not, Or, Query, Text, positive_texts


def to_sql(query: Query) -> tuple[str, list[object]]:
    """A WHERE condition on `articles AS a`, with its parameters."""
    if isinstance(query, MatchAll):
        return "1", []
    if isinstance(query, (And, Or)):
        parts = [to_sql(item) for item in query.items]
        joiner = " AND " if isinstance(query, And) else " OR "
        return "(" + joiner.join(sql for sql, _ in parts) + ")", [p for _, params in parts for p in params]
    if isinstance(query, Not):
        sql, params = to_sql(query.item)
        return f"NOT {sql}", params
    if isinstance(query, Text):
        return "a.rowid IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)", [fts_expression(query)]
    if isinstance(query, Keyword):
        if query.prefix:
            return (
                "a.rowid IN (SELECT rowid FROM article_keys WHERE field = ? AND value >= ? AND value < ?)",
                [query.field, query.value, query.value + "\U0010ffff"],
            )
        return "a.rowid IN (SELECT rowid FROM article_keys WHERE field = ? AND value = ?)", [query.field, query.value]
    if isinstance(query, DateRange):
        conditions, params = [], []
        if query.start is not None:
            conditions.append(f"a.{query.field} >= ?")
            params.append(sql_time(query.start))
        if query.end is not None:
            conditions.append(f"a.{query.field} < ?")
            params.append(sql_time(query.end))
        return "(" + (" AND ".join(conditions) or f"a.{query.field} IS NOT NULL") + ")", params
    raise TypeError(f"unknown query node {query!r}")


def rank_expression(query: Query) -> str | None:
    """An FTS5 expression matching any of the query's positive words, for BM25 ranking."""
    expressions = [fts_expression(text) for text in positive_texts(query)]
    return " OR ".join(f"({expression})" for expression in expressions) or None


def fts_expression(text: Text) -> str:
    if text.prefix:
        body = f'"{prefix_form(text.value)}" *'
    else:
        body = '"' + " ".join(analyze(text.value)) + '"'
    return f"{{{text.field}}} : {body}" if text.field else body


def sql_time(moment: datetime) -> str:
    """Timestamps are stored as fixed-width UTC text so that string order is time order."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")

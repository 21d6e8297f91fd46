"""`Query` -> Elasticsearch query DSL over the mapping in search.backends.elastic."""

from __future__ import annotations

from typing import Any

from tradewire.search.analysis import analyze, prefix_form
from tradewire.search.query.ast import And, DateRange, Keyword, MatchAll, Not, Or, Query, Text

TEXT_FIELDS = {"title": "search.title", "text": "search.text"}


def keyword_path(field: str) -> str:
    return "keys." + field.replace(".", "_")


def to_elasticsearch(query: Query) -> dict[str, Any]:
    if isinstance(query, MatchAll):
        return {"match_all": {}}
    if isinstance(query, And):
        return {"bool": {"must": [to_elasticsearch(item) for item in query.items]}}
    if isinstance(query, Or):
        return {"bool": {"should": [to_elasticsearch(item) for item in query.items], "minimum_should_match": 1}}
    if isinstance(query, Not):
        return {"bool": {"must_not": [to_elasticsearch(query.item)]}}
    if isinstance(query, Text):
        fields = [TEXT_FIELDS[query.field]] if query.field else list(TEXT_FIELDS.values())
        clauses = [_text_clause(query, field) for field in fields]
        return clauses[0] if len(clauses) == 1 else {"bool": {"should": clauses, "minimum_should_match": 1}}
    if isinstance(query, Keyword):
        if query.prefix and not query.value:
            return {"exists": {"field": keyword_path(query.field)}}
        kind = "prefix" if query.prefix else "term"
        return {kind: {keyword_path(query.field): query.value}}
    if isinstance(query, DateRange):
        bounds: dict[str, str] = {}
        if query.start is not None:
            bounds["gte"] = query.start.isoformat()
        if query.end is not None:
            bounds["lt"] = query.end.isoformat()
        return {"range": {query.field: bounds}} if bounds else {"exists": {"field": query.field}}
    raise TypeError(f"unknown query node {query!r}")


def _text_clause(query: Text, field: str) -> dict[str, Any]:
    if query.prefix:
        return {"prefix": {field: {"value": prefix_form(query.value)}}}
    terms = analyze(query.value)
    if len(terms) == 1:
        return {"term": {field: terms[0]}}
    return {"match_phrase": {field: " ".join(terms)}}

"""The query language: parsed once, compiled to Elasticsearch DSL, SQLite FTS5 SQL and an in-process matcher."""

from search.query.ast import And, DateRange, Keyword, MatchAll, Not, Or, Query, Text, all_of
from search.query.fields import FIELDS, FieldSpec, resolve_field
from search.query.filters import with_filters
from search.query.matcher import MatchableArticle, matches
from search.query.parser import QuerySyntaxError, parse_date_bound, parse_query

__all__ = [
    "And", "DateRange", "FIELDS", "FieldSpec", "Keyword", "MatchAll", "Not", "Or", "Query", "QuerySyntaxError",
    "MatchableArticle", "Text", "all_of", "matches", "parse_date_bound", "parse_query", "resolve_field", "with_filters",
]

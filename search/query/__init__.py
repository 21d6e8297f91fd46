"""The query language: parsed once, compiled to Elasticsearch DSL, SQLite FTS5 SQL and an in-process matcher."""

from core.lazy import lazy_exports

__getattr__, __dir__ = lazy_exports({
    **dict.fromkeys(["And", "DateRange", "Keyword", "MatchAll", "Not", "Or", "Query", "Text", "all_of"], "search.query.ast"),
    **dict.fromkeys(["FIELDS", "FieldSpec", "resolve_field"], "search.query.fields"),
    "with_filters": "search.query.filters",
    **dict.fromkeys(["MatchableArticle", "matches"], "search.query.matcher"),
    **dict.fromkeys(["QuerySyntaxError", "parse_date_bound", "parse_query"], "search.query.parser"),
})

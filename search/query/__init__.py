"""The query language: parsed once, compiled to Elasticsearch DSL, SQLite FTS5 SQL and an in-process matcher."""

from tradewire.core.lazy import lazy_exports

__getattr__, __dir__ = lazy_exports({
    **dict.fromkeys(["And", "DateRange", "Keyword", "MatchAll", "Not", "Or", "Query", "Text", "all_of"], "tradewire.search.query.ast"),
    **dict.fromkeys(["FIELDS", "FieldSpec", "resolve_field"], "tradewire.search.query.fields"),
    **dict.fromkeys(["of_kinds_named", "with_filters"], "tradewire.search.query.filters"),
    **dict.fromkeys(["MatchableArticle", "matches"], "tradewire.search.query.matcher"),
    **dict.fromkeys(["QuerySyntaxError", "parse_date_bound", "parse_query"], "tradewire.search.query.parser"),
})

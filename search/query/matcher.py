"""The query evaluated in-process against one document (an article or a designation), as the alert rules need it.

It uses the same analysis as the index backends, so a rule matches exactly the articles a search
with the rule's query would return.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from tradewire.core.document import Document
from tradewire.search.analysis import analyze, prefix_form
from tradewire.search.query.ast import And, DateRange, Keyword, MatchAll, Not, Or, Query, Text


@dataclass(slots=True)
class MatchableArticle:
    """An article prepared once to be matched against many queries; its text is analysed only if a query needs it."""

    article: Document
    keywords: dict[str, list[str]]
    dates: dict[str, datetime | None]
    _terms: dict[str, list[str]] = field(default_factory=dict)
    _term_sets: dict[str, set[str]] = field(default_factory=dict)
    _phrase_cache: dict[tuple[str, tuple[str, ...]], bool] = field(default_factory=dict)

    @classmethod
    def of(cls, article: Document) -> MatchableArticle:
        return cls(article=article, keywords=article.keywords(),
                   dates={"published": article.published, "fetched": article.fetched})

    def terms(self, field_name: str) -> list[str]:
        if field_name not in self._terms:
            self._terms[field_name] = analyze(getattr(self.article, field_name))
        return self._terms[field_name]

    def term_set(self, field_name: str) -> set[str]:
        if field_name not in self._term_sets:
            self._term_sets[field_name] = set(self.terms(field_name))
        return self._term_sets[field_name]


def matches(query: Query, article: Document | MatchableArticle) -> bool:
    target = article if isinstance(article, MatchableArticle) else MatchableArticle.of(article)
    return _matches(query, target)


def _matches(query: Query, article: MatchableArticle) -> bool:
    if isinstance(query, MatchAll):
        return True
    if isinstance(query, And):
        return all(_matches(item, article) for item in query.items)
    if isinstance(query, Or):
        return any(_matches(item, article) for item in query.items)
    if isinstance(query, Not):
        return not _matches(query.item, article)
    if isinstance(query, Text):
        fields = (query.field,) if query.field else ("title", "text")
        return any(_text_in(query, name, article) for name in fields)
    if isinstance(query, Keyword):
        values = article.keywords.get(query.field, [])
        if query.prefix:
            return any(value.startswith(query.value) for value in values)
        return query.value in values
    if isinstance(query, DateRange):
        moment = article.dates.get(query.field)
        if moment is None:
            return False
        return (query.start is None or moment >= query.start) and (query.end is None or moment < query.end)
    raise TypeError(f"unknown query node {query!r}")


def _text_in(query: Text, field_name: str, article: MatchableArticle) -> bool:
    if query.prefix:
        prefix = prefix_form(query.value)
        return any(term.startswith(prefix) for term in article.term_set(field_name))
    wanted = analyze(query.value)
    if len(wanted) == 1:
        return wanted[0] in article.term_set(field_name)
    if not all(term in article.term_set(field_name) for term in wanted):
        return False
    key = (field_name, tuple(wanted))
    if key not in article._phrase_cache:
        terms = article.terms(field_name)
        size = len(wanted)
        article._phrase_cache[key] = any(
            terms[index : index + size] == wanted for index in range(len(terms) - size + 1)
        )
    return article._phrase_cache[key]

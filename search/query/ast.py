"""The parsed query: a small tree that every backend and the alert matcher compile from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class Text:
    """Full-text match of a word or phrase in `field` (None: title and text)."""

    value: str
    field: str | None = None
    phrase: bool = False
    prefix: bool = False


@dataclass(frozen=True, slots=True)
class Keyword:
    """Exact (case-insensitive) match on a keyword field such as tag, entity or source."""

    field: str
    value: str
    prefix: bool = False


@dataclass(frozen=True, slots=True)
class DateRange:
    """`start <= field < end`, either side open when None (bounds are normalised to this form)."""

    field: str
    start: datetime | None
    end: datetime | None


@dataclass(frozen=True, slots=True)
class And:
    items: tuple[Query, ...]


@dataclass(frozen=True, slots=True)
class Or:
    items: tuple[Query, ...]


@dataclass(frozen=True, slots=True)
class Not:
    item: Query


@dataclass(frozen=True, slots=True)
class MatchAll:
    pass


Query = Text | Keyword | DateRange | And | Or | Not | MatchAll


def all_of(*queries: Query) -> Query:
    """Conjunction that drops match-alls and flattens nested ands."""
    items: list[Query] = []
    for query in queries:
        if isinstance(query, MatchAll):
            continue
        items.extend(query.items if isinstance(query, And) else (query,))
    if not items:
        return MatchAll()
    return items[0] if len(items) == 1 else And(tuple(items))


def positive_texts(query: Query, negated: bool = False) -> list[Text]:
    """Text leaves that count for relevance (not under a NOT)."""
    if isinstance(query, Text):
        return [] if negated else [query]
    if isinstance(query, (And, Or)):
        return [text for item in query.items for text in positive_texts(item, negated)]
    if isinstance(query, Not):
        return positive_texts(query.item, not negated)
    return []


def keywords(query: Query) -> list[Keyword]:
    """Every keyword leaf, negated or not."""
    if isinstance(query, Keyword):
        return [query]
    if isinstance(query, (And, Or)):
        return [keyword for item in query.items for keyword in keywords(item)]
    if isinstance(query, Not):
        return keywords(query.item)
    return []

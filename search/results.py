"""What a search asks for and what it returns, whichever backend answers."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from typing import Any, Literal

from tradewire.core.designation import Designation
from tradewire.core.document import Document
from tradewire.search.highlight import snippet
from tradewire.search.query.ast import MatchAll, Query

Sort = Literal["relevance", "date"]
MAX_PAGE_SIZE = 100
# The facets of a result counted over a keyword field, by result name (the last, "days", counts published days).
KEYWORD_FACETS = {"tags": "tag", "sources": "source", "entities": "entity_facet", "kinds": "kind"}


@dataclass(frozen=True, slots=True)
class SearchRequest:
    query: Query = field(default_factory=MatchAll)
    sort: Sort = "relevance"
    size: int = 10
    cursor: str | None = None
    facets: bool = True
    facet_size: int = 10
    highlight: bool = True

    def __post_init__(self) -> None:
        if not 0 <= self.size <= MAX_PAGE_SIZE:
            raise ValueError(f"page size must be between 0 and {MAX_PAGE_SIZE}, not {self.size}")


@dataclass(frozen=True, slots=True)
class FacetBucket:
    value: str
    count: int
    label: str | None = None


@dataclass(frozen=True, slots=True)
class SearchHit:
    # The document found: an article, or a designation (`kind` says which).
    article: Document
    score: float | None
    snippet: str

    def to_json(self) -> dict[str, Any]:
        article = self.article
        if isinstance(article, Designation):
            return {**article.model_dump(mode="json"), "headline": article.headline(), "snippet": self.snippet,
                    "score": self.score}
        return {
            "kind": article.kind,
            "id": article.id,
            "url": article.url,
            "canonical_url": article.canonical_url,
            "title": article.title,
            "source": article.source,
            "feed": article.feed,
            "published": article.published.isoformat() if article.published else None,
            "language": article.language,
            "story_id": article.story_id,
            "extraction": article.extraction,
            "tags": [tag.model_dump(mode="json") for tag in article.tags],
            "entities": [{"id": e.id, "name": e.name, "type": e.type} for e in article.entities],
            "events": [event.model_dump(mode="json") for event in article.events],
            "snippet": self.snippet,
            "score": self.score,
        }


def hit(article: Document, score: float | None, request: SearchRequest) -> SearchHit:
    """A hit as every backend builds it: the score rounded, the snippet marked with the query when asked."""
    marked = request.query if request.highlight else MatchAll()
    return SearchHit(article, round(score, 4) if score is not None else None, snippet(article.text, marked))


@dataclass(frozen=True, slots=True)
class SearchResult:
    total: int
    hits: list[SearchHit]
    facets: dict[str, list[FacetBucket]]
    next_cursor: str | None = None
    # Some shards did not answer (a node of the cluster down, a primary being failed over): hits and
    # counts are those of the shards that did.
    partial: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "hits": [hit.to_json() for hit in self.hits],
            "facets": {
                name: [
                    {"value": b.value, "count": b.count, **({"label": b.label} if b.label else {})} for b in buckets
                ]
                for name, buckets in self.facets.items()
            },
            "next_cursor": self.next_cursor,
            "partial": self.partial,
        }


def encode_cursor(position: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(position, separators=(",", ":")).encode()).decode().rstrip("=")


_INVALID_CURSOR = "invalid cursor: pass back the next_cursor of a previous page"
_MAX_COUNT = 2**53  # any count a cursor can hold; beyond, a number is no position of a real result


def decode_cursor(cursor: str, fields: dict[str, type]) -> dict[str, Any]:
    """The position `encode_cursor` wrote: exactly `fields`, each of its type (counts whole and not negative).

    Anything else is a ValueError, so a made-up or mangled cursor is refused rather than read as the first page."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        value = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, UnicodeDecodeError):
        raise ValueError(_INVALID_CURSOR) from None
    if not isinstance(value, dict) or set(value) != set(fields):
        raise ValueError(_INVALID_CURSOR)
    for name, kind in fields.items():
        item = value[name]
        if not isinstance(item, kind) or isinstance(item, bool) or (kind is int and not 0 <= item < _MAX_COUNT):
            raise ValueError(_INVALID_CURSOR)
    return value


def entity_bucket(value: str, count: int) -> FacetBucket:
    entity_id, _, name = value.partition("\t")
    return FacetBucket(entity_id, count, name or None)

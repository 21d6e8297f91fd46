"""The fields a query may name, with their aliases and kinds."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

FieldKind = Literal["text", "keyword", "date"]


@dataclass(frozen=True, slots=True)
class FieldSpec:
    name: str
    kind: FieldKind
    description: str


_SPECS = [
    FieldSpec("kind", "keyword", "article or designation (an event of a sanctions list); without kind: a search finds articles"),
    FieldSpec("title", "text", "words in the title"),
    FieldSpec("text", "text", "words in the article text"),
    FieldSpec("tag", "keyword", "a tag, e.g. tag:sanctions"),
    FieldSpec("asserted", "keyword", "a tag with at least one measure stated as taken, e.g. asserted:sanctions"),
    FieldSpec("lifted", "keyword", "a tag with a measure lifted, eased or delisted, e.g. lifted:sanctions"),
    FieldSpec("entity", "keyword", "an entity id or name, e.g. entity:CN or entity:\"General Motors\""),
    FieldSpec("source", "keyword", "the publishing site, e.g. source:reuters.com"),
    FieldSpec("feed", "keyword", "the feed name from feeds.yaml"),
    FieldSpec("feed_tag", "keyword", "a tag of the article's feed in feeds.yaml, e.g. feed_tag:government"),
    FieldSpec("lang", "keyword", "language code, e.g. lang:zh"),
    FieldSpec("story", "keyword", "story id shared by syndicated copies"),
    FieldSpec("url", "keyword", "the canonical URL"),
    FieldSpec("extraction", "keyword", "article (extracted page) or feed (feed content stood in)"),
    FieldSpec("event.actor", "keyword", "who took a measure, e.g. event.actor:us-commerce"),
    FieldSpec("event.target", "keyword", "whom a measure targets, e.g. event.target:CN"),
    FieldSpec("event.measure", "keyword", "the measure, e.g. event.measure:\"suspension order\""),
    FieldSpec("listed", "keyword", "a sanctions list naming a party of the article, e.g. listed:ofac-sdn, or listed:* for any"),
    FieldSpec("list", "keyword", "the sanctions list of a designation, e.g. list:ofac-sdn"),
    FieldSpec("program", "keyword", "a programme of a designation, e.g. program:RUSSIA-EO14024"),
    FieldSpec("event", "keyword", "what a designation records: listed, delisted or amended"),
    FieldSpec("entry", "keyword", "the list's id of a designation's entry, e.g. entry:36112"),
    FieldSpec("name", "text", "words of a designation's names and aliases, e.g. name:\"Igor Sechin\""),
    FieldSpec("watched", "keyword", "a party of the watchlist the article names, e.g. watched:\"Acme Trading\", or watched:* for any"),
    FieldSpec("published", "date", "publication date, e.g. published:[2025-06-01 TO 2025-06-30] or published:>=now-7d"),
    FieldSpec("fetched", "date", "when tradewire fetched the article"),
]
_ALIASES = {"programs": "program", "programme": "program", "programmes": "program", "names": "name", "tags": "tag", "feed_tags": "feed_tag", "entities": "entity", "language": "lang", "date": "published", "story_id": "story"}

FIELDS: dict[str, FieldSpec] = {spec.name: spec for spec in _SPECS}
# Keyword fields only designations have: a query naming one is about designations (see search.query.filters).
DESIGNATION_FIELDS = frozenset({"list", "program", "event", "entry"})
KEYWORD_FIELDS = [spec.name for spec in _SPECS if spec.kind == "keyword"]
# Keyword fields only articles have: a designation never matches one.
ARTICLE_FIELDS = frozenset(KEYWORD_FIELDS) - DESIGNATION_FIELDS - {"kind"}


def resolve_field(name: str) -> FieldSpec | None:
    key = name.lower()
    return FIELDS.get(_ALIASES.get(key, key))

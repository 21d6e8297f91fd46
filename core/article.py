"""The document model every index backend stores and every search returns."""

from __future__ import annotations

import hashlib
from datetime import datetime, timezone
from typing import Literal

from pydantic import Field, field_validator

from tradewire.core.enrichment import Entity, Event, Tag
from tradewire.core.model import Model

Extraction = Literal["article", "feed"]


class ListedParty(Model):
    """A party the article names that is on a sanctions list: the entry, and where and how the text names it."""

    list: str
    entry_id: str
    programs: list[str] = Field(default_factory=list)
    # The list's name or alias that matched, and the article's words for it (the first mention) with their offsets.
    name: str
    text: str
    start: int
    end: int
    score: float
    # Named in the title, not the text: start and end are offsets into the title.
    in_title: bool = False


class WatchedMention(Model):
    """A party of the user's watchlist (config/watchlist.yaml) that the article names, where and how."""

    # The watched party's name as the watchlist gives it, and its note; the watchlist's name or alias that matched.
    party: str
    note: str = ""
    name: str
    text: str
    start: int
    end: int
    score: float


class Article(Model):
    kind: Literal["article"] = "article"
    id: str
    url: str
    canonical_url: str
    feed: str
    # The labels of the article's feed in feeds.yaml (e.g. government, us), searchable as feed_tag:.
    feed_tags: list[str] = Field(default_factory=list)
    source: str
    title: str
    author: str | None = None
    published: datetime | None = None
    fetched: datetime
    language: str | None = None
    text: str
    tags: list[Tag] = Field(default_factory=list)
    entities: list[Entity] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)
    content_hash: str
    story_id: str
    # "article": trafilatura extracted the page; "feed": the feed entry's own content stands in, see extraction_note.
    extraction: Extraction = "article"
    extraction_note: str | None = None
    # Why the article has no tags when it could not be tagged at all ("no rules for de").
    tagging_note: str | None = None
    # Parties the text names that are on a sanctions list in force when the article was processed.
    listed: list[ListedParty] = Field(default_factory=list)
    # Parties of the watchlist the text names, screened when the article was processed.
    watched: list[WatchedMention] = Field(default_factory=list)

    @field_validator("published", "fetched")
    @classmethod
    def _aware(cls, value: datetime | None) -> datetime | None:
        """A time without a zone is taken as UTC, so that every backend and the alert matcher read it alike."""
        return value.replace(tzinfo=timezone.utc) if value is not None and value.tzinfo is None else value

    @property
    def asserted_tags(self) -> list[str]:
        return [tag.name for tag in self.tags if tag.modality == "asserted"]

    @property
    def lifted_tags(self) -> list[str]:
        """Tags with a measure lifted (ended, eased, delisted), whatever else the article states."""
        return [
            tag.name for tag in self.tags
            if tag.modality == "lifted" or any(evidence.modality == "lifted" for evidence in tag.evidence)
        ]

    def keywords(self) -> dict[str, list[str]]:
        """The exact-match fields of the query language, lower-cased, as every backend indexes them."""
        entity_keys: list[str] = []
        for entity in self.entities:
            entity_keys += [entity.id.lower(), entity.name.lower()]
        # event.* find measures stated as taken (or reported taken): a threatened or denied one stays on the
        # document, but `event.measure:sanctions AND event.target:CN` must not find "is weighing sanctions".
        taken = [event for event in self.events if event.modality in ("asserted", "reported")]
        return {
            "kind": [self.kind],
            "tag": [tag.name for tag in self.tags],
            "asserted": self.asserted_tags,
            "lifted": self.lifted_tags,
            "entity": _unique(entity_keys),
            "source": [self.source.lower()],
            "feed": [self.feed.lower()],
            "feed_tag": _unique(tag.lower() for tag in self.feed_tags),
            "lang": [self.language.lower()] if self.language else [],
            "story": [self.story_id],
            "url": [self.canonical_url],
            "extraction": [self.extraction],
            "event.actor": _unique(k for e in taken for k in _keys(e.actor_id, e.actor)),
            "event.target": _unique(k for e in taken for k in _keys(e.target_id, e.target)),
            "event.measure": _unique(e.measure.lower() for e in taken),
            "listed": _unique(party.list.lower() for party in self.listed),
            "watched": _unique(mention.party.lower() for mention in self.watched),
        }

    def entity_facets(self) -> list[str]:
        """Entity facet values: id and display name in one keyword, so every backend can count them alike."""
        return [f"{entity.id}\t{entity.name}" for entity in self.entities]


def article_id(canonical_url: str) -> str:
    """Stable document identity: the same canonical URL always gives the same id."""
    return hashlib.sha256(canonical_url.encode()).hexdigest()[:24]


def content_hash(title: str, text: str) -> str:
    return hashlib.sha256(f"{title}\n{text}".encode()).hexdigest()


def _keys(entity_id: str | None, name: str | None) -> list[str]:
    return [value.lower() for value in (entity_id, name) if value]


def _unique(values) -> list[str]:  # type: ignore[no-untyped-def]
    return list(dict.fromkeys(values))

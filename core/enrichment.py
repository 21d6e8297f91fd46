"""What enrichment produces: tags with evidence, entities with mentions, events."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from pydantic import Field

from tradewire.core.model import Model

# asserted: stated as taken (imposed, granted, held, in force); lifted: a measure ended, eased or delisted;
# reported: known through unnamed sources; hypothetical: threatened, proposed, conditional; negated: denied, not taken.
Modality = Literal["asserted", "lifted", "reported", "hypothetical", "negated"]
EntityType = Literal["country", "organization", "agency", "ministry", "company", "person"]

# When one tag has evidence of several modalities, the strongest one speaks for the tag.
MODALITY_STRENGTH: dict[str, int] = {"asserted": 4, "lifted": 3, "reported": 2, "hypothetical": 1, "negated": 0}

# How a modality reads to a user, in the CLI, the web page and alert messages.
MODALITY_WORDS: dict[str, str] = {
    "asserted": "imposed", "lifted": "lifted", "reported": "reported", "hypothetical": "threatened", "negated": "denied",
}
MODALITY_LEGEND: dict[str, str] = {
    "imposed": "stated as taken: imposed, granted, held or in force",
    "lifted": "ended: lifted, eased, suspended, delisted or expired",
    "reported": "known only through unnamed sources or unconfirmed reports",
    "threatened": "threatened, proposed, considered or conditional",
    "denied": "not taken: denied, ruled out, held off",
}


class Evidence(Model):
    """One sentence that supports a tag: its text, its offsets into the document text, why it counted."""

    text: str
    start: int
    end: int
    rules: list[str] = Field(default_factory=list)
    modality: Modality = "asserted"


class Tag(Model):
    name: str
    score: float
    modality: Modality
    evidence: list[Evidence] = Field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Mention:
    """Where an entity is named. A dataclass, not a model: dozens are made per article; pydantic still
    validates and serialises it inside Entity."""

    text: str
    start: int
    end: int


class Entity(Model):
    id: str
    name: str
    type: EntityType
    mentions: list[Mention] = Field(default_factory=list)
    # False for an entity found by pattern (a titled person, an organisation's head word), not in the gazetteer.
    known: bool = True


class Event(Model):
    """A measure taken (or threatened, denied, reported) in one sentence."""

    measure: str
    tag: str
    actor: str | None = None
    actor_id: str | None = None
    target: str | None = None
    target_id: str | None = None
    objects: list[str] = Field(default_factory=list)
    date: dt.date | None = None
    modality: Modality = "asserted"
    evidence: Evidence


class Enrichment(Model):
    language: str | None = None
    # Why there are no tags when the text could not be tagged at all ("no rules for de").
    tagging_note: str | None = None
    tags: list[Tag] = Field(default_factory=list)
    entities: list[Entity] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)

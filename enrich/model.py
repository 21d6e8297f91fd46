"""What enrichment produces: tags with evidence, entities with mentions, events.

These models are the enrichment half of the document model in `search.document`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, Field

Modality = Literal["asserted", "reported", "hypothetical", "negated"]
EntityType = Literal["country", "organization", "agency", "ministry", "company", "person"]

# When one tag has evidence of several modalities, the strongest one speaks for the tag.
MODALITY_STRENGTH: dict[str, int] = {"asserted": 3, "reported": 2, "hypothetical": 1, "negated": 0}


class Evidence(BaseModel):
    """One sentence that supports a tag: its text, its offsets into the document text, why it counted."""

    text: str
    start: int
    end: int
    rules: list[str] = Field(default_factory=list)
    modality: Modality = "asserted"


class Tag(BaseModel):
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


class Entity(BaseModel):
    id: str
    name: str
    type: EntityType
    mentions: list[Mention] = Field(default_factory=list)
    # False for an entity found by pattern (a titled person, an organisation's head word), not in the gazetteer.
    known: bool = True


class Event(BaseModel):
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


class Enrichment(BaseModel):
    language: str | None = None
    tags: list[Tag] = Field(default_factory=list)
    entities: list[Entity] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)

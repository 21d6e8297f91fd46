"""The taxonomy as configured in `config/taxonomy.yaml`: tag rules, modality cues, event vocabularies."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

CaseRule = Literal["any", "exact", "capitalized"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Rule(_Strict):
    """Phrases that are evidence for a tag. With `near`, a hit counts only when one of those words is within `window` words."""

    id: str = Field(min_length=1)
    phrases: list[str] = Field(min_length=1)
    weight: float = Field(gt=0, le=5)
    near: list[str] = Field(default_factory=list)
    window: int = Field(default=10, ge=1, le=60)
    lang: str | None = None
    case: CaseRule = "any"


class TagSpec(_Strict):
    label: str
    description: str = ""
    threshold: float | None = Field(default=None, gt=0, lt=1)
    rules: list[Rule] = Field(min_length=1)
    # Other senses of the tag's words ("driving licence", "electricity tariffs"): hits inside them do not count.
    other_senses: list[str] = Field(default_factory=list)
    # Words of other domains ("FIFA", "doping", "hostage"): the tag's hits within `negative_window` words do not count.
    negative: list[str] = Field(default_factory=list)
    negative_window: int = Field(default=8, ge=0, le=60)


class ModalityCues(_Strict):
    negated: list[str] = Field(default_factory=list)
    hypothetical: list[str] = Field(default_factory=list)
    reported: list[str] = Field(default_factory=list)
    # Statements of the act ("imposed", "added", 实施): see enrich.modality for how they decide against cues.
    asserted: list[str] = Field(default_factory=list)
    # Words that contain a cue but are not one (若干 "several" holds 若 "if", 未来 "future" holds 未 "not").
    not_cues: list[str] = Field(default_factory=list)
    # Words that start a new clause, beyond which a cue no longer reaches ("but", "however", ";").
    clause_breaks: list[str] = Field(default_factory=list)


class CueWindow(_Strict):
    before: int = Field(ge=0, le=60)
    after: int = Field(ge=0, le=60)


class VocabularyEntry(_Strict):
    name: str
    phrases: list[str] = Field(min_length=1)


class EventSpec(_Strict):
    tags: list[str] = Field(min_length=1)
    measures: list[VocabularyEntry] = Field(min_length=1)
    objects: list[VocabularyEntry] = Field(default_factory=list)
    # A measure phrase is only an event when the sentence also has evidence for one of `tags`.


class Taxonomy(_Strict):
    threshold: float = Field(default=0.5, gt=0, lt=1)
    max_evidence: int = Field(default=5, ge=1, le=50)
    # How many words before and after a trigger a negation or hypothetical cue reaches (within its clause).
    cue_windows: dict[Literal["negated", "hypothetical"], CueWindow] = Field(
        default_factory=lambda: {"negated": CueWindow(before=8, after=4), "hypothetical": CueWindow(before=25, after=4)}
    )
    tags: dict[str, TagSpec] = Field(min_length=1)
    modality: dict[str, ModalityCues] = Field(default_factory=dict)
    events: EventSpec | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Taxonomy:
        seen: set[str] = set()
        for tag_name, spec in self.tags.items():
            for rule in spec.rules:
                if rule.id in seen:
                    raise ValueError(f"rule id {rule.id!r} is used twice (tag {tag_name!r})")
                seen.add(rule.id)
        if self.events:
            unknown = [tag for tag in self.events.tags if tag not in self.tags]
            if unknown:
                raise ValueError(f"events.tags names unknown tags: {', '.join(unknown)}")
        return self

    def threshold_for(self, tag: str) -> float:
        return self.tags[tag].threshold or self.threshold

"""What a phrase found in the text stands for, and the hits of one sentence sorted by that."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from tradewire.core.enrichment import Modality
from tradewire.enrich.gazetteer import Alias
from tradewire.enrich.phrases import Hit
from tradewire.enrich.taxonomy import Rule


@dataclass(frozen=True, slots=True)
class RuleRef:
    tag: str
    rule: Rule
    index: int


@dataclass(frozen=True, slots=True)
class NearWord:
    rule_index: int


@dataclass(frozen=True, slots=True)
class NegativeCue:
    tag: str
    # Words reached beyond the cue's own span (0 for another sense of the tag's words).
    reach: int


@dataclass(frozen=True, slots=True)
class Cue:
    # A modality, or "refuted" (a report denied: the whole clause is negated) or "background" (a sentence about
    # what was done before, which does not decide an article's modality).
    modality: Modality | Literal["refuted", "background", "eased", "counterfactual"]


@dataclass(frozen=True, slots=True)
class ClauseBreak:
    pass


@dataclass(frozen=True, slots=True)
class NotCue:
    """A word that contains a cue but is not one (若干 "several" holds 若 "if")."""


@dataclass(frozen=True, slots=True)
class MeasureRef:
    name: str
    domestic_targets: bool = False
    person_targets: bool = True
    when_ended: Literal["lifted", "negated", "asserted"] | None = None  # where it differs from the tag's


@dataclass(frozen=True, slots=True)
class ObjectRef:
    name: str


@dataclass(frozen=True, slots=True)
class TitleRef:
    """A title before a person's name ("Commerce Secretary", "spokesman")."""


@dataclass(slots=True)
class SentenceHits:
    """One sentence's hits by kind, so each stage reads only the hits it needs."""

    rules: list[Hit[RuleRef]] = field(default_factory=list)
    near: list[Hit[NearWord]] = field(default_factory=list)
    negatives: list[Hit[NegativeCue]] = field(default_factory=list)
    # Cues, clause breaks and words that only look like cues together: modality needs them all, in text order.
    cues: list[Hit[Cue | ClauseBreak | NotCue]] = field(default_factory=list)
    measures: list[Hit[MeasureRef]] = field(default_factory=list)
    objects: list[Hit[ObjectRef]] = field(default_factory=list)
    aliases: list[Hit[Alias]] = field(default_factory=list)
    titles: list[Hit[TitleRef]] = field(default_factory=list)

    def in_body_name(self, hit: Hit[object]) -> bool:
        """Whether the hit's words are part of a government body's or organisation's name (the Office of Foreign
        Assets Control, the Export Control Joint Unit, 国务院关税税则委员会): they name the body, not a measure."""
        start, end = hit.start, hit.end
        for alias in self.aliases:  # (a loop, not any() over a generator: asked for every trigger and measure)
            if alias.start <= start and end <= alias.end and alias.payload.entity.type in BODY_TYPES:
                return True
        return False


BODY_TYPES = frozenset({"agency", "ministry", "organization"})

BUCKETS = {
    RuleRef: "rules", NearWord: "near", NegativeCue: "negatives", Cue: "cues", ClauseBreak: "cues", NotCue: "cues",
    MeasureRef: "measures", ObjectRef: "objects", Alias: "aliases", TitleRef: "titles",
}

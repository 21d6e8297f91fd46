"""The taxonomy as configured in `config/taxonomy.yaml`: tag rules, modality cues, event vocabularies."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from tradewire.enrich.patterns import check_pattern
from tradewire.enrich.text import is_cjk

CaseRule = Literal["any", "exact", "capitalized"]
ANY_LANGUAGE = "*"
# A phrase in one of the forms of enrich.patterns; any other form is refused at load, naming the file, line and key.
Pattern = Annotated[str, AfterValidator(check_pattern)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Rule(_Strict):
    """Phrases that are evidence for a tag. With `near`, a hit counts only when one of those words is within `window` words."""

    id: str = Field(min_length=1)
    phrases: list[Pattern] = Field(min_length=1)
    weight: float = Field(gt=0, le=5)
    near: list[Pattern] = Field(default_factory=list)
    window: int = Field(default=10, ge=1, le=60)
    # The language of the text the rule fires on; unset: the taxonomy's `language`; "*": every language with
    # rules (citations such as ECCN 3A090 read alike in all).
    lang: str | None = None
    case: CaseRule = "any"
    # A tag whose measures use the rule's words too ("duties" of an anti-dumping case): in an article that tag is
    # found in, the rule's hits count only beside other evidence for the rule's own tag.
    yields_to: str | None = None


class TagSpec(_Strict):
    label: str
    description: str = ""
    threshold: float | None = Field(default=None, gt=0, lt=1)
    # What ending one of the tag's measures states: a restriction ended is "lifted" (sanctions, tariffs); talks
    # called off are "negated"; a licence suspended or withdrawn is a measure taken, "asserted".
    when_ended: Literal["lifted", "negated", "asserted"] = "lifted"
    rules: list[Rule] = Field(min_length=1)
    # Other senses of the tag's words ("driving licence", "electricity tariffs"): hits inside them do not count.
    other_senses: list[Pattern] = Field(default_factory=list)
    # Words of other domains ("FIFA", "doping", "hostage"): the tag's hits within `negative_window` words do not count.
    negative: list[Pattern] = Field(default_factory=list)
    negative_window: int = Field(default=8, ge=0, le=60)


class ModalityCues(_Strict):
    negated: list[Pattern] = Field(default_factory=list)
    hypothetical: list[Pattern] = Field(default_factory=list)
    reported: list[Pattern] = Field(default_factory=list)
    # Ends of a measure ("lifted", "removed from", 解除): the measure they reach is lifted, not taken.
    lifted: list[Pattern] = Field(default_factory=list)
    # Eases of a restriction ("cut its tariff to 15%", 下调): lifted for a tag whose measures are lifted when ended
    # (tariffs, sanctions), nothing for the others (talks are not called off by "agreed to cut tariffs").
    eased: list[Pattern] = Field(default_factory=list)
    # A report denied ("denied a newspaper report that ...", 予以否认): everything in the clause is negated.
    refuted: list[Pattern] = Field(default_factory=list)
    # What a measure would have done ("the rule, which would have required licences"): the measure it describes is
    # the one the sentence names before it, so its words take that one's modality (rescinded: lifted; not
    # adopted: negated; else hypothetical), not the hedge of "would".
    counterfactual: list[Pattern] = Field(default_factory=list)
    # What was done before ("had already", 此前已): such a sentence does not decide the article's modality.
    background: list[Pattern] = Field(default_factory=list)
    # Statements of the act ("imposed", "added", 实施): see enrich.modality for how they decide against cues.
    asserted: list[Pattern] = Field(default_factory=list)
    # Words that contain a cue but are not one (若干 "several" holds 若 "if", 未来 "future" holds 未 "not",
    # "must obtain" states a licence regime's obligation, not a demand).
    not_cues: list[Pattern] = Field(default_factory=list)
    # Words that start a new clause, beyond which a cue no longer reaches ("but", "however", ";").
    clause_breaks: list[Pattern] = Field(default_factory=list)


class CueWindow(_Strict):
    before: int = Field(ge=0, le=60)
    after: int = Field(ge=0, le=60)


class VocabularyEntry(_Strict):
    name: str
    phrases: list[Pattern] = Field(min_length=1)
    # The measure's target may be of the actor's own country (a licence granted to a domestic firm); a sanction's may not.
    domestic_targets: bool = False
    # Whether a person can be the measure's target: a sanction reaches people, an export control goods and firms
    # ("the Biden-era AI diffusion rule" names no target).
    person_targets: bool = True
    # What ending the measure states, where it differs from its tag's: a licence requirement ended is a lifting
    # ("no longer need licences"), though a licence revoked is a measure taken.
    when_ended: Literal["lifted", "negated", "asserted"] | None = None


class EventSpec(_Strict):
    tags: list[str] = Field(min_length=1)
    measures: list[VocabularyEntry] = Field(min_length=1)
    objects: list[VocabularyEntry] = Field(default_factory=list)
    # A measure phrase is only an event when the sentence also has evidence for one of `tags`.


class Taxonomy(_Strict):
    # The language of rules without a `lang`. A rule fires only on text of its language.
    language: str = "en"
    threshold: float = Field(default=0.5, gt=0, lt=1)
    max_evidence: int = Field(default=5, ge=1, le=50)
    # How many words before and after a trigger a negation or hypothetical cue reaches (within its clause).
    cue_windows: dict[Literal["negated", "hypothetical", "lifted"], CueWindow] = Field(
        default_factory=lambda: {
            "negated": CueWindow(before=8, after=4), "hypothetical": CueWindow(before=25, after=4),
            "lifted": CueWindow(before=6, after=5),
        }
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
                if rule.yields_to is not None and rule.yields_to not in self.tags:
                    raise ValueError(f"rule {rule.id!r} yields to an unknown tag {rule.yields_to!r}")
                language = rule.lang or self.language
                chinese = [phrase for phrase in rule.phrases if any(is_cjk(char) for char in phrase)]
                if chinese and language not in ("zh", ANY_LANGUAGE):
                    raise ValueError(
                        f"rule {rule.id!r} fires on text in {language!r} but has Chinese phrases "
                        f"({', '.join(chinese[:3])}): move them to a rule with lang: zh"
                    )
        if self.events:
            unknown = [tag for tag in self.events.tags if tag not in self.tags]
            if unknown:
                raise ValueError(f"events.tags names unknown tags: {', '.join(unknown)}")
        return self

    def threshold_for(self, tag: str) -> float:
        return self.tags[tag].threshold or self.threshold

    def rule_languages(self) -> set[str]:
        return {rule.lang or self.language for spec in self.tags.values() for rule in spec.rules} - {ANY_LANGUAGE}

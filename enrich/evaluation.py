"""Enrichment measured against labelled items: per-tag precision/recall/F1 (overall and per language), modality,
event actor and target, entity recall, hard negatives."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from pydantic import BaseModel, Field

from tradewire.core.enrichment import Enrichment, Event, Modality
from tradewire.enrich.enricher import Enricher
from tradewire.enrich.event_roles import one_body
from tradewire.enrich.gazetteer import Gazetteer, KnownEntity, aliases_of

CORE_TAGS = ("sanctions", "export_licenses", "export_controls", "negotiations", "tariffs")
_HARD_NEGATIVE = re.compile(r"^hard negative for ([a-z_, ]+):")


class GoldEvent(BaseModel):
    """A measure the item states, with who acts and on whom (None: the text does not say)."""

    measure: str
    actor: str | None = None
    target: str | None = None
    modality: Modality | None = None


class LabelledItem(BaseModel):
    id: str
    lang: str
    published: date | None = None
    text: str
    tags: dict[str, Modality] = Field(default_factory=dict)
    entities: list[str] = Field(default_factory=list)
    # Absent: the item's events are not labelled (it is not scored for events); []: it states none.
    events: list[GoldEvent] | None = None
    note: str | None = None

    @property
    def hard_negative_for(self) -> set[str]:
        match = _HARD_NEGATIVE.match(self.note or "")
        return {tag.strip() for tag in match.group(1).split(",")} if match else set()


@dataclass
class TagScore:
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0
    hard_negatives: int = 0
    hard_negatives_tagged: int = 0
    modality_right: int = 0

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        gold = self.true_positives + self.false_negatives
        return self.true_positives / gold if gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Mistake:
    item: str
    kind: str
    detail: str


@dataclass
class EvaluationReport:
    items: int = 0
    tags: dict[str, TagScore] = field(default_factory=lambda: defaultdict(TagScore))
    by_language: dict[str, dict[str, TagScore]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(TagScore)))
    entities_expected: int = 0
    entities_found: int = 0
    # Over every (item, tag): is the measure stated as taken? What `asserted:` searches and alert rules see.
    asserted: TagScore = field(default_factory=TagScore)
    events_expected: int = 0
    events_same_measure: int = 0
    # Events given in items whose events are labelled, and those of them no labelled event of their measure pairs with.
    events_given: int = 0
    events_unlabelled: int = 0
    actors_right: int = 0
    targets_right: int = 0
    mistakes: list[Mistake] = field(default_factory=list)

    @property
    def actor_accuracy(self) -> float:
        return self.actors_right / self.events_expected if self.events_expected else 1.0

    @property
    def target_accuracy(self) -> float:
        return self.targets_right / self.events_expected if self.events_expected else 1.0

    @property
    def event_precision(self) -> float:
        """The share of events given that a labelled event of the same measure pairs with."""
        return 1 - self.events_unlabelled / self.events_given if self.events_given else 1.0

    @property
    def entity_recall(self) -> float:
        return self.entities_found / self.entities_expected if self.entities_expected else 1.0

    @property
    def modality_accuracy(self) -> float:
        right = sum(score.modality_right for score in self.tags.values())
        found = sum(score.true_positives for score in self.tags.values())
        return right / found if found else 1.0


def evaluate(enricher: Enricher, items: list[LabelledItem]) -> EvaluationReport:
    report = EvaluationReport()
    names = _names_by_id(enricher.gazetteer)
    entities = _entities_by_name(enricher.gazetteer)
    languages = enricher.taxonomy.rule_languages()
    for item in items:
        result = enricher.enrich(item.text, published=item.published)
        _score_tags(report, item, result)
        _score_entities(report, item, result, names)
        # Text in a language without rules yields no events by design: its roles are not scored.
        if item.events is not None and item.lang in languages:
            _score_events(report, item, result.events, names, entities)
        report.items += 1
    return report


def _entities_by_name(gazetteer: Gazetteer) -> dict[str, KnownEntity]:
    found: dict[str, KnownEntity] = {}
    for alias in aliases_of(gazetteer):
        for name in (alias.text, alias.entity.name, alias.entity.id):
            found.setdefault(name.lower(), alias.entity)
    return found


def _score_events(
    report: EvaluationReport, item: LabelledItem, predicted: list[Event],
    names: dict[str, set[str]], entities: dict[str, KnownEntity],
) -> None:
    """Each gold event is paired with the unpaired predicted event of the same measure that names most of its
    parties (the first of those), failing that with the first unpaired one of any measure; its actor and target are
    then right when they name the same entity. (Two events of one measure on two targets are scored against the
    right gold event whatever order the article names them in.)"""
    unpaired = list(predicted)
    report.events_given += len(predicted)
    report.events_unlabelled += sum(
        1 for event in predicted if all(gold.measure != event.measure for gold in item.events or [])
    )
    for gold in item.events or []:
        report.events_expected += 1
        same_measure = [event for event in unpaired if event.measure == gold.measure]
        pair = max(
            same_measure,
            key=lambda event: _same_party(gold.actor, event.actor_id, names, entities)
            + _same_party(gold.target, event.target_id, names, entities),
            default=None,
        )
        if pair is not None:
            report.events_same_measure += 1
        else:
            pair = unpaired[0] if unpaired else None
        if pair is None:
            report.mistakes.append(Mistake(item.id, "event missed", f"{gold.measure} by {gold.actor} on {gold.target}"))
            report.actors_right += gold.actor is None
            report.targets_right += gold.target is None
            continue
        unpaired.remove(pair)
        for role, expected, got_id, got_name in (
            ("actor", gold.actor, pair.actor_id, pair.actor), ("target", gold.target, pair.target_id, pair.target),
        ):
            right = _same_party(expected, got_id, names, entities) or (
                expected is not None and got_name is not None and expected.lower() == got_name.lower()
            )
            if role == "actor":
                report.actors_right += right
            else:
                report.targets_right += right
            if not right:
                report.mistakes.append(Mistake(item.id, f"event {role}", f"{gold.measure}: {got_name}, expected {expected}"))


def _same_party(expected: str | None, got_id: str | None, names: dict[str, set[str]], entities: dict[str, KnownEntity]) -> bool:
    """Whether a predicted party is the gold one: the same entity, a country and one of its bodies (the Treasury
    for "US" names the same government), or a body and the body it is part of (OFAC of the Treasury, the
    Commission of the EU); two bodies of one government side by side (the Treasury, the State Department) are
    not the same party."""
    if expected is None or got_id is None:
        return expected is None and got_id is None
    if expected.lower() in names.get(got_id, set()) or expected.lower() == got_id.lower():
        return True
    gold, got = entities.get(expected.lower()), entities.get(got_id.lower())
    if gold is None or got is None:
        return False
    if one_body(gold, got):
        return True
    return "country" in (gold.type, got.type) and _government(gold) == _government(got)


def _government(entity: KnownEntity) -> str | None:
    return entity.id if entity.type == "country" else entity.country


def _names_by_id(gazetteer: Gazetteer) -> dict[str, set[str]]:
    """Every name (canonical or alias) an entity id answers to, lower-cased: gold labels may use any of them."""
    names: dict[str, set[str]] = defaultdict(set)
    for alias in aliases_of(gazetteer):
        names[alias.entity.id].update({alias.text.lower(), alias.entity.name.lower(), alias.entity.id.lower()})
    return names


def _score_tags(report: EvaluationReport, item: LabelledItem, result: Enrichment) -> None:
    predicted = {tag.name: tag for tag in result.tags}
    for name in set(predicted) | set(item.tags):
        for score in (report.tags[name], report.by_language[item.lang][name]):
            if name in item.tags and name in predicted:
                score.true_positives += 1
                if predicted[name].modality == item.tags[name]:
                    score.modality_right += 1
            elif name in predicted:
                score.false_positives += 1
            else:
                score.false_negatives += 1
        gold_asserted = item.tags.get(name) == "asserted"
        predicted_asserted = name in predicted and predicted[name].modality == "asserted"
        if gold_asserted and predicted_asserted:
            report.asserted.true_positives += 1
        elif predicted_asserted:
            report.asserted.false_positives += 1
        elif gold_asserted:
            report.asserted.false_negatives += 1
        if name in item.tags and name in predicted and predicted[name].modality != item.tags[name]:
            report.mistakes.append(Mistake(item.id, "modality", f"{name}: {predicted[name].modality}, expected {item.tags[name]}"))
        elif name in predicted and name not in item.tags:
            evidence = predicted[name].evidence[0].text if predicted[name].evidence else ""
            report.mistakes.append(Mistake(item.id, "false positive", f"{name} ({predicted[name].score}): {evidence[:160]}"))
        elif name in item.tags and name not in predicted:
            report.mistakes.append(Mistake(item.id, "missed", name))
    for name in item.hard_negative_for:
        for score in (report.tags[name], report.by_language[item.lang][name]):
            score.hard_negatives += 1
            if name in predicted:
                score.hard_negatives_tagged += 1


def _score_entities(
    report: EvaluationReport, item: LabelledItem, result: Enrichment, names: dict[str, set[str]]
) -> None:
    found: set[str] = set()
    for entity in result.entities:
        found |= names.get(entity.id, set()) | {entity.id.lower(), entity.name.lower()}
    for expected in item.entities:
        report.entities_expected += 1
        if expected.lower() in found:
            report.entities_found += 1
        else:
            report.mistakes.append(Mistake(item.id, "entity missed", expected))

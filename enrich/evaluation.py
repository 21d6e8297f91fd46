"""Enrichment measured against labelled items: per-tag precision/recall/F1, modality, entity recall, hard negatives."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from pydantic import BaseModel, Field

from enrich.enricher import Enricher
from enrich.gazetteer import Gazetteer, aliases_of
from enrich.model import Enrichment, Modality

CORE_TAGS = ("sanctions", "export_licenses", "export_controls", "negotiations", "tariffs")
_HARD_NEGATIVE = re.compile(r"^hard negative for ([a-z_, ]+):")


class LabelledItem(BaseModel):
    id: str
    lang: str
    published: date | None = None
    text: str
    tags: dict[str, Modality] = Field(default_factory=dict)
    entities: list[str] = Field(default_factory=list)
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
    mistakes: list[Mistake] = field(default_factory=list)

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
    for item in items:
        result = enricher.enrich(item.text, published=item.published)
        _score_tags(report, item, result)
        _score_entities(report, item, result, names)
        report.items += 1
    return report


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

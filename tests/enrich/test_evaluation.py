"""Enrichment quality on the labelled sets (tests/data/enrich_eval): dev is tuned on, test is kept out of tuning.

The floors below are where each split stands, some of them under the targets of `tradewire eval enrich` (see
the README's figures): a change that loses ground on dev, or fits dev and loses ground on test, fails here.
"""

from __future__ import annotations

import pytest

from tradewire.enrich import Enricher
from tradewire.enrich.evaluation import CORE_TAGS, EvaluationReport, LabelledItem, evaluate
from tradewire.ingest.cli.commands_eval import DEFAULT_SET, LANGUAGES, TARGET_ENTITY_RECALL, read_items, read_split
from tradewire.ingest.configuration import load_config


@pytest.fixture(scope="module")
def enricher() -> Enricher:
    config = load_config(None)
    return Enricher(config.taxonomy, config.gazetteer)


@pytest.fixture(scope="module")
def dev(enricher: Enricher) -> EvaluationReport:
    return evaluate(enricher, read_split("dev"))


@pytest.fixture(scope="module")
def test(enricher: Enricher) -> EvaluationReport:
    return evaluate(enricher, read_split("test"))


def test_the_labelled_sets_are_large_and_varied() -> None:
    items = read_split("dev") + read_split("test")
    assert len(items) >= 300 and sum(item.lang == "zh" for item in items) >= 80
    fresh = [item for item in items if item.events is not None]
    assert sum(bool(item.hard_negative_for) for item in fresh) >= len(fresh) / 3
    assert sum(len(item.events or []) for item in items) >= 80
    assert {"lifted", "reported", "negated", "hypothetical"} <= {m for item in fresh for m in item.tags.values()}
    assert len({item.lang for item in fresh}) >= 5  # languages without rules are measured too


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("tag", CORE_TAGS)
def test_dev_core_tag_f1(dev: EvaluationReport, tag: str, language: str) -> None:
    score = dev.by_language[language][tag]
    assert score.f1 >= 0.9, f"{tag} ({language}): P={score.precision:.3f} R={score.recall:.3f} F1={score.f1:.3f}"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("tag", CORE_TAGS)
def test_test_core_tag_f1(test: EvaluationReport, tag: str, language: str) -> None:
    score = test.by_language[language][tag]
    assert score.f1 >= 0.8, f"{tag} ({language}): P={score.precision:.3f} R={score.recall:.3f} F1={score.f1:.3f}"


@pytest.mark.parametrize("tag", ["trade_remedies", "investment_screening"])
def test_further_tags_are_useful(dev: EvaluationReport, test: EvaluationReport, tag: str) -> None:
    assert dev.tags[tag].f1 >= 0.85 and test.tags[tag].f1 >= 0.85, (dev.tags[tag].f1, test.tags[tag].f1)


def test_hard_negatives_are_rarely_tagged(dev: EvaluationReport, test: EvaluationReport) -> None:
    for report, share in ((dev, 5), (test, 3)):  # at most a fifth on dev, a third on test
        for name, score in report.tags.items():
            assert score.hard_negatives_tagged <= max(1, score.hard_negatives // share), (name, score.hard_negatives_tagged)


def test_text_in_a_language_without_rules_gets_no_tags(dev: EvaluationReport, test: EvaluationReport) -> None:
    for report in (dev, test):
        for language, scores in report.by_language.items():
            if language not in LANGUAGES:
                assert not any(score.false_positives for score in scores.values()), language


def test_entity_recall_meets_target(enricher: Enricher) -> None:
    report = evaluate(enricher, read_items(DEFAULT_SET))
    assert report.entity_recall >= TARGET_ENTITY_RECALL, f"{report.entities_found}/{report.entities_expected}"


def test_modality(dev: EvaluationReport, test: EvaluationReport) -> None:
    assert dev.modality_accuracy >= 0.90 and test.modality_accuracy >= 0.875, (dev.modality_accuracy, test.modality_accuracy)


def test_measures_taken_are_found(dev: EvaluationReport, test: EvaluationReport) -> None:
    # Recall of "stated as taken": what decides whether an `asserted:` alert rule fires on a real measure.
    assert dev.asserted.recall >= 0.88 and test.asserted.recall >= 0.84, (dev.asserted.recall, test.asserted.recall)


def test_event_roles(dev: EvaluationReport, test: EvaluationReport) -> None:
    # (test holds test3_en.jsonl, written after the rules by a writer who saw none of them: its roles are harder)
    for report, actors, targets in ((dev, 0.85, 0.79), (test, 0.78, 0.63)):
        assert report.events_expected >= 100
        assert report.actor_accuracy >= actors and report.target_accuracy >= targets, (report.actor_accuracy, report.target_accuracy)
        assert report.event_precision >= 0.83, report.event_precision


def test_events_of_one_measure_are_scored_against_the_gold_event_they_name(enricher: Enricher) -> None:
    item = LabelledItem.model_validate({
        "id": "pairing", "lang": "en", "text": "The Treasury on Friday imposed sanctions on Rosneft and Lukoil.",
        "tags": {"sanctions": "asserted"},
        "events": [
            {"measure": "sanctions", "actor": "U.S. Department of the Treasury", "target": "Lukoil", "modality": "asserted"},
            {"measure": "sanctions", "actor": "U.S. Department of the Treasury", "target": "Rosneft", "modality": "asserted"},
        ],
    })
    report = evaluate(enricher, [item])
    assert (report.actors_right, report.targets_right, report.events_expected) == (2, 2, 2)
    assert report.event_precision == 1.0


def test_events_of_a_measure_the_item_does_not_state_lower_event_precision(enricher: Enricher) -> None:
    """Extra events cost nothing in actor and target accuracy, which count the labelled events: precision counts them."""
    item = LabelledItem.model_validate({
        "id": "extra", "lang": "en", "tags": {"sanctions": "asserted"},
        "text": "The Treasury on Friday imposed sanctions on Rosneft and froze the assets of Lukoil.",
        "events": [{"measure": "sanctions", "actor": "U.S. Department of the Treasury", "target": "Rosneft", "modality": "asserted"}],
    })
    report = evaluate(enricher, [item])
    assert [event.measure for event in enricher.enrich(item.text).events] == ["sanctions", "asset freeze"]
    assert (report.events_given, report.events_unlabelled, report.event_precision) == (2, 1, 0.5)


def test_a_body_and_the_body_it_is_part_of_are_one_party_and_two_side_by_side_are_two(enricher: Enricher) -> None:
    events = [
        {"measure": "sanctions", "actor": "U.S. Department of the Treasury", "target": "Rosneft", "modality": "asserted"},
    ]
    item = LabelledItem.model_validate({
        "id": "parts", "lang": "en", "tags": {"sanctions": "asserted"}, "events": events,
        "text": "The Office of Foreign Assets Control on Friday imposed sanctions on Rosneft.",
    })
    beside = item.model_copy(update={"text": "The State Department on Friday imposed sanctions on Rosneft."})
    assert evaluate(enricher, [item]).actors_right == 1
    assert evaluate(enricher, [beside]).actors_right == 0

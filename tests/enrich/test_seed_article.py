"""Enrichment of the article the product was designed around."""

from __future__ import annotations

from datetime import date

import pytest

from tradewire.enrich import Enricher
from tradewire.ingest.configuration import load_config


@pytest.fixture(scope="module")
def enricher() -> Enricher:
    config = load_config(None)
    return Enricher(config.taxonomy, config.gazetteer)


def test_tags_include_the_products_three_and_export_controls(enricher: Enricher, seed_text: str) -> None:
    result = enricher.enrich(seed_text, published=date(2025, 6, 8))
    assert {"sanctions", "export_licenses", "negotiations", "export_controls"} <= {tag.name for tag in result.tags}
    assert result.language == "en"
    for tag in result.tags:
        for evidence in tag.evidence:
            assert seed_text[evidence.start : evidence.end] == evidence.text
            assert evidence.rules


def test_suspension_order_event(enricher: Enricher, seed_text: str) -> None:
    result = enricher.enrich(seed_text, published=date(2025, 6, 8))
    event = next(e for e in result.events if e.measure == "suspension order" and e.modality == "asserted")
    assert event.actor == "U.S. Department of Commerce" and event.actor_id == "us-commerce"
    assert event.target_id == "CN"
    assert "nuclear power plant products" in event.objects
    assert event.date == date(2025, 6, 6)
    assert event.evidence.text.startswith("Firstly, on June 6, the U.S. Department of Commerce issued a suspension order")


def test_should_withdraw_is_not_an_asserted_measure(enricher: Enricher, seed_text: str) -> None:
    result = enricher.enrich(seed_text, published=date(2025, 6, 8))
    withdraw = "the United States should also look at the progress made in a realistic manner and withdraw negative measures"
    for tag in result.tags:
        for evidence in tag.evidence:
            if withdraw in evidence.text:
                assert evidence.modality != "asserted"
    for event in result.events:
        if withdraw in event.evidence.text:
            assert event.modality != "asserted"
    sentence_start = seed_text.index("In previous calls between the highest levels")
    sentence = enricher.enrich(seed_text[sentence_start : seed_text.index("\n", sentence_start)])
    sanctions = [tag for tag in sentence.tags if tag.name == "sanctions"]
    assert all(tag.modality != "asserted" for tag in sanctions)


def test_entities_with_aliases_and_misspelling(enricher: Enricher, seed_text: str) -> None:
    entities = {entity.id: entity for entity in enricher.enrich(seed_text).entities}
    assert {"CN", "US", "GB", "he-lifeng", "mofcom", "us-commerce", "general-motors", "ford", "stellantis", "reuters",
            "donald-trump"} <= set(entities)
    assert [m.text for m in entities["stellantis"].mentions] == ["Stlantis"]
    assert {m.text for m in entities["US"].mentions} >= {"United States", "U.S.", "American"}
    for entity in entities.values():
        for mention in entity.mentions:
            assert seed_text[mention.start : mention.end] == mention.text


def test_the_licences_china_approved_are_stated_as_granted(enricher: Enricher, seed_text: str) -> None:
    result = enricher.enrich(seed_text, published=date(2025, 6, 8))
    assert {tag.name: tag.modality for tag in result.tags}["export_licenses"] == "asserted"
    approval = next(e for e in result.events if e.measure == "licence approval" and e.modality == "asserted")
    assert approval.actor_id == "mofcom" and "rare earths" in approval.objects
    assert approval.target_id != "CN"  # a government approves licences for firms, not for its own country

"""What the shipped taxonomy does with sentences an analyst would worry about."""

from __future__ import annotations

from datetime import date

import pytest

from enrich import Enricher, Enrichment
from ingest.configuration import load_config


@pytest.fixture(scope="module")
def enrich() -> callable:  # type: ignore[valid-type]
    config = load_config(None)
    enricher = Enricher(config.taxonomy, config.gazetteer)
    return lambda text, **kw: enricher.enrich(text, **kw)


def tags(result: Enrichment) -> dict[str, str]:
    return {tag.name: tag.modality for tag in result.tags}


@pytest.mark.parametrize(
    ("text", "modality"),
    [
        ("The European Union did not impose sanctions on the refinery's owners on Monday.", "negated"),
        ("Washington threatened to impose sanctions on Chinese banks that help Moscow.", "hypothetical"),
        ("The Treasury imposed sanctions on three Chinese refiners on Tuesday.", "asserted"),
        ("Washington has sanctioned 12 companies, according to people familiar with the matter.", "reported"),
        ("Officials said new sanctions could be announced as early as next week.", "hypothetical"),
    ],
)
def test_sanction_modality(enrich, text: str, modality: str) -> None:  # type: ignore[no-untyped-def]
    assert tags(enrich(text)).get("sanctions") == modality


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("FIFA's disciplinary committee sanctioned the club with a transfer ban over unpaid wages.", "sanctions"),
        ("Drivers must renew their driving licence every ten years, the DVLA said.", "export_licenses"),
        ("Ofgem raised the cap on electricity tariffs for households from October.", "tariffs"),
        ("Police said hostage negotiations continued through the night.", "negotiations"),
        ("The plant failed a quality control inspection last week.", "export_controls"),
        ("The council fined a firm for illegal dumping of construction waste.", "trade_remedies"),
        ("The film festival opens with a screening of the restored classic.", "investment_screening"),
    ],
)
def test_other_senses_are_not_tagged(enrich, text: str, absent: str) -> None:  # type: ignore[no-untyped-def]
    assert absent not in tags(enrich(text))


def test_other_sense_does_not_hide_the_real_measure_in_the_same_sentence(enrich) -> None:  # type: ignore[no-untyped-def]
    text = "Smelters already pay higher electricity tariffs and now face a 50% U.S. tariff on their aluminium exports."
    assert "tariffs" in tags(enrich(text))


def test_chinese_rules(enrich) -> None:  # type: ignore[no-untyped-def]
    result = enrich("商务部宣布对部分中重稀土相关物项实施出口管制，出口经营者须申请出口许可证。美方未对此发表评论。")
    assert result.language == "zh"
    assert {"export_controls", "export_licenses"} <= set(tags(result))
    assert "mofcom" in {entity.id for entity in result.entities}
    for tag in result.tags:
        for evidence in tag.evidence:
            assert evidence.text in result.model_dump_json() and "出口" in evidence.text


def test_relative_dates_resolve_against_publication(enrich) -> None:  # type: ignore[no-untyped-def]
    result = enrich("On Tuesday, the Commerce Department added 27 Chinese firms to the Entity List.", published=date(2025, 6, 12))
    event = next(e for e in result.events if e.measure == "entity listing")
    assert event.date == date(2025, 6, 10) and event.actor_id == "us-commerce" and event.target_id == "CN"


def test_unknown_titled_people_and_bodies_are_found_and_marked(enrich) -> None:  # type: ignore[no-untyped-def]
    result = enrich("Trade Minister Ana Vertigo said the Directorate General of Trade Remedies opened a probe.")
    found = {entity.name: entity for entity in result.entities}
    assert found["Ana Vertigo"].type == "person" and not found["Ana Vertigo"].known
    assert found["Directorate General of Trade Remedies"].type == "agency"

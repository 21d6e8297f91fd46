"""Snippets mark exactly the words a query matches: every inflection and spelling the analysis folds together,
whole words only, in ASCII text (marked without analysing every word) and in text with accents alike."""

from __future__ import annotations

import re

import pytest

from tradewire.search.analysis import analyze, prefix_form
from tradewire.search.highlight import snippet
from tradewire.search.query import parse_query

TEXTS = [
    "Sanctions were sanctioned again; the SANCTION regime spared unsanctioned trade and sanctionable goods.",
    "The licence was revoked, licensing resumed and two licences (export licenses) were granted to licensees.",
    "Türkiye's sanctions on semiconductor exports: semiconductors, semi-conductors and semiconductivity.",
    "Export controls on chips: controlled exports, exporters and de-controlled chipsets.",
    "北京宣布制裁 sanctions，裁定 Sanctioned 企业a裁b and re-exports — 出口管制 controls.",
]
WORDS = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]|[^\W_\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")  # CJK one by one


def expected_marks(text: str, words: list[str], prefixes: list[str]) -> list[str]:
    """The words of `text` whose analysed term is one of the words' terms or starts with one of the prefixes."""
    wanted = {term for word in words for term in analyze(word)}
    starts = tuple(prefix_form(prefix) for prefix in prefixes)
    return [word for word in WORDS.findall(text)
            if (term := analyze(word)[0]) in wanted or (starts and term.startswith(starts))]


@pytest.mark.parametrize(("query", "words", "prefixes"), [
    ("sanctions", ["sanctions"], []),
    ("licence", ["licence"], []),
    ("export controls", ["export", "controls"], []),
    ("semiconduct*", [], ["semiconduct"]),
    ("chips OR semiconduct*", ["chips"], ["semiconduct"]),
    ("裁 OR exports", ["裁", "exports"], []),
])
def test_snippets_mark_every_form_of_the_words_and_nothing_else(query: str, words: list[str], prefixes: list[str]) -> None:
    marked_anywhere = False
    for text in TEXTS:
        assert len(text) < 240  # the whole text fits in the snippet's window
        marked = re.findall(r"<mark>(.*?)</mark>", snippet(text, parse_query(query)))
        assert marked == expected_marks(text, words, prefixes), text
        marked_anywhere = marked_anywhere or bool(marked)
    assert marked_anywhere


def test_a_phrase_is_marked_as_one_span_where_its_words_stand_in_order() -> None:
    text = "Rare earths export curbs: earths that are rare, and rare-earth magnets."
    marked = re.findall(r"<mark>(.*?)</mark>", snippet(text, parse_query('"rare earths" OR magnet')))
    assert marked == ["Rare earths", "rare-earth", "magnets"]

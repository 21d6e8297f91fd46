"""The matching form is the text lower-cased with dashes, breaks and curly quotes folded, every offset kept; sentence
boundaries are where the plain expression finds them."""

from __future__ import annotations

import random
import re

from tradewire.enrich.text import _BOUNDARY, _MATCH_FOLD, matching_form


def _translated(text: str) -> str:
    lowered = text.lower()
    if len(lowered) != len(text):
        lowered = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    return lowered.translate(_MATCH_FOLD)


def test_matching_form_is_the_fold_table_applied_to_every_character() -> None:
    every = "".join(chr(code) for code in range(0x110000) if not 0xD800 <= code < 0xE000)
    assert matching_form(every) == _translated(every)
    assert len(matching_form(every)) == len(every)


def test_matching_form_of_news_text() -> None:
    text = "U.S.\u2011China talks \u2014 \u201cno deal\u201d,\nMOFCOM\u2019s İstanbul\u00a0office\tsaid"
    assert matching_form(text) == _translated(text) == "u.s. china talks   \"no deal\", mofcom's İstanbul office said"


# The sentence boundaries as first written: three alternatives, each with its own first characters.
_PLAIN_BOUNDARY = re.compile(
    r"[.!?]+[\"'\u201d\u2019)\]]*\s+|[\u3002\uff01\uff1f\uff1b]+[\u201d\u2019\u300d\u300f]?|\n\s*"
)


def test_sentence_boundaries_are_those_of_the_plain_expression() -> None:
    rng = random.Random(7)
    alphabet = ".!?\u3002\uff01\uff1f\uff1b\n \t\r\"'\u201d\u2019)]\u300d\u300fa\u4e2d\u00a0\u2028\x0b\x1c"
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 14))) for _ in range(20_000)]
    texts.append("Sanctions were imposed. \u201cNo deal!\u201d he said?! (Then.) \n\n ")
    texts.append("\u4e2d\u65b9\u51b3\u5b9a\u3002\u201d\u5bf9\u7f8e\uff1b")
    for text in texts:
        assert [(m.start(), m.end()) for m in _BOUNDARY.finditer(text)] == [
            (m.start(), m.end()) for m in _PLAIN_BOUNDARY.finditer(text)
        ], repr(text)

"""The matching form is the text lower-cased with dashes, breaks and curly quotes folded, every offset kept."""

from __future__ import annotations

from tradewire.enrich.text import _MATCH_FOLD, matching_form


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

"""A name's or a text's words for screening: runs of letters and digits, and each CJK character on its own."""

from __future__ import annotations

import random
import re

from tradewire.enrich.screening.normalize import WORD

# The words as first written: a CJK character, or a run of word characters other than "_" and CJK.
_PLAIN_WORD = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]|[^\W_\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


def _spans(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    return [(match.start(), match.end()) for match in pattern.finditer(text)]


def test_words_are_those_of_the_plain_expression() -> None:
    every = "".join(chr(code) for code in range(0x110000) if not 0xD800 <= code < 0xE000)
    assert _spans(WORD, every) == _spans(_PLAIN_WORD, every)
    rng = random.Random(5)
    alphabet = "_a1 Z\u4e2d\u3400\u9fff\ufaff\uf900\u4dbf\u4dc0\u00e9\u0301.-'\u2019\u00a0\u0660\u00b2\u2160\u0416"
    for _ in range(20_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 10)))
        assert _spans(WORD, text) == _spans(_PLAIN_WORD, text), repr(text)
    assert WORD.findall("OOO «Ромашка» 华为技术有限公司 snake_case") == [
        "OOO", "Ромашка", "华", "为", "技", "术", "有", "限", "公", "司", "snake", "case",
    ]

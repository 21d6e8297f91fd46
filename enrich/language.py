"""Language of an article's text (ISO 639-1)."""

from __future__ import annotations

import re

import py3langid

# Enough text to tell the languages apart; py3langid's cost grows with the sample.
_SAMPLE = 600


# The commonest English words: in English news they are a quarter of all words, in other languages nearly none.
_ENGLISH = frozenset("the of and to in a is that for on with as was by it at from has have said will be are its an".split())
_WORD = re.compile(r"[^\W\d_]+")


_LETTER = re.compile(r"[^\W\d_]")
_CJK = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def detect_language(text: str) -> str | None:
    sample = text[:_SAMPLE]
    letters = len(_LETTER.findall(sample))
    if not letters:
        return None
    if len(_CJK.findall(sample)) > letters / 3:
        return "zh"
    words = _WORD.findall(sample.lower())
    if len(words) >= 8 and sum(1 for word in words if word in _ENGLISH) / len(words) > 0.15:
        return "en"
    language, _ = py3langid.classify(sample)
    return language

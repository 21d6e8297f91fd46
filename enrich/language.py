"""Language of an article's text (ISO 639-1)."""

from __future__ import annotations

import py3langid

from enrich.text import is_cjk

_SAMPLE = 2000


def detect_language(text: str) -> str | None:
    sample = text[:_SAMPLE]
    letters = [char for char in sample if char.isalpha()]
    if not letters:
        return None
    if sum(1 for char in letters if is_cjk(char)) > len(letters) / 3:
        return "zh"
    language, _ = py3langid.classify(sample)
    return language

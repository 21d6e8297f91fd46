"""Text helpers shared by the enrichment stages: a length-preserving matching form and sentence spans.

Sentences are at most `MAX_SENTENCE_CHARS` long: a longer run without sentence punctuation (a keyword list, a
page's navigation, text that lost its full stops) is cut into pieces, so the work per sentence, which grows
faster than its length, stays bounded and tagging stays linear in the text's length.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

_MATCH_FOLD = str.maketrans(
    {
        "\u2010": " ", "\u2011": " ", "\u2012": " ", "\u2013": " ", "\u2014": " ", "-": " ",
        "\u00a0": " ", "\n": " ", "\r": " ", "\t": " ",
        "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
    }
)


# The same as str.translate(_MATCH_FOLD), one character at a time: no replacement is itself replaced, and a replace
# of a character the text holds is a tenth of the time of a translate, which looks up every character of the text.
_MATCH_FOLD_PAIRS = tuple((chr(code), replacement) for code, replacement in _MATCH_FOLD.items())


def matching_form(text: str) -> str:
    """Lower-case `text` with hyphens, dashes and line breaks as spaces, keeping every offset unchanged."""
    lowered = text.lower()
    if len(lowered) != len(text):
        # A few characters (e.g. 'İ') grow when lower-cased; keep those as they are so offsets stay aligned.
        lowered = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    for char, replacement in _MATCH_FOLD_PAIRS:
        if char in lowered:
            lowered = lowered.replace(char, replacement)
    return lowered


def is_cjk(char: str) -> bool:
    code = ord(char)
    return 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0xF900 <= code <= 0xFAFF


def is_word_char(char: str) -> bool:
    return char.isalnum() and not is_cjk(char)


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int

    def text_of(self, text: str) -> str:
        return text[self.start : self.end]


# Abbreviations whose full stop does not end a sentence in news text.
_ABBREVIATIONS = frozenset(
    "u.s u.k u.n e.u u.s.a p.r.c mr mrs ms dr prof gen sen rep gov st inc corp co ltd plc no vs etc "
    "jan feb mar apr jun jul aug sep sept oct nov dec e.g i.e approx dept est fig".split()
)
# News sentences run to about 400 characters; a legal sentence may reach 1,000.
MAX_SENTENCE_CHARS = 1000
# ([.!?]+["'”’)\]]*\s+|[。！？；]+[”’」』]?|\n\s*, written to start with one class of all their first characters: the
# regular expression engine then skips to the next such character instead of trying the three at every position.)
_BOUNDARY = re.compile(
    r"[.!?\u3002\uff01\uff1f\uff1b\n](?:(?<=[.!?])[.!?]*[\"'\u201d\u2019)\]]*\s+"
    r"|(?<=[\u3002\uff01\uff1f\uff1b])[\u3002\uff01\uff1f\uff1b]*[\u201d\u2019\u300d\u300f]?|(?<=\n)\s*)"
)


def split_sentences(text: str) -> list[Sentence]:
    """Split news text into sentence spans (English and Chinese punctuation, paragraph breaks)."""
    sentences: list[Sentence] = []
    start = 0
    for boundary in _BOUNDARY.finditer(text):
        end = boundary.end()
        punctuation = boundary.group()
        if punctuation[0] == "." and _ends_with_abbreviation(text, start, boundary.start()):
            continue
        if punctuation[0] in ".!?" and end < len(text) and text[end].islower():
            continue
        _append(sentences, text, start, end)
        start = end
    _append(sentences, text, start, len(text))
    return sentences


def _ends_with_abbreviation(text: str, sentence_start: int, dot: int) -> bool:
    word_start = max(text.rfind(" ", sentence_start, dot), text.rfind("\n", sentence_start, dot), sentence_start - 1) + 1
    word = text[word_start:dot].lower().strip("\"'(\u201c")
    return word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha())


def _append(sentences: list[Sentence], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    while end - start > MAX_SENTENCE_CHARS:
        cut = _cut(text, start, start + MAX_SENTENCE_CHARS)
        _append(sentences, text, start, cut)
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if end > start:
        sentences.append(Sentence(start, end))


def _cut(text: str, start: int, limit: int) -> int:
    """Where to cut an over-long sentence before `limit`: after its last space or comma in the second half, else at `limit`."""
    earliest = start + (limit - start) // 2
    for separator in (" ", "\uff0c", ",", "\u3001"):
        position = text.rfind(separator, earliest, limit)
        if position >= 0:
            return position + 1
    return limit


_CJK_CHAR = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# Commas that end a clause; not the enumeration comma 、 (a cue scopes over the items of its list).
_CLAUSE_COMMA = re.compile("[,，;；:：]")


class WordGaps:
    """How many words lie between two offsets of a matching-form text (two CJK characters count as a word), and
    whether a clause comma does.

    Words between two others are the spaces between them less one (the matching form has single spaces
    for line breaks and dashes); CJK characters are counted only in texts that have them.
    """

    def __init__(self, folded: str) -> None:
        self.text = folded
        self._cjk = [match.start() for match in _CJK_CHAR.finditer(folded)] if _CJK_CHAR.search(folded) else []
        self._commas = [match.start() for match in _CLAUSE_COMMA.finditer(folded)]

    def comma_between(self, start: int, end: int) -> bool:
        return bisect_left(self._commas, end) > bisect_left(self._commas, start)

    def last_comma_before(self, offset: int) -> int:
        """The offset of the last clause comma before `offset`, or -1."""
        index = bisect_left(self._commas, offset)
        return self._commas[index - 1] if index else -1

    def between(self, start: int, end: int) -> int:
        if end <= start:
            return 0
        words = max(0, self.text.count(" ", start, end) - 1)
        if self._cjk:
            words += (bisect_left(self._cjk, end) - bisect_left(self._cjk, start)) // 2
        return words

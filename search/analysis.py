"""The one text analysis behind every backend and the alert matcher.

Both index backends store the tokens made here (and match query tokens made here), so the embedded
index, Elasticsearch (whatever analyzers the node has) and the in-process alert matcher find the
same documents for the same query. Tokens are lower-cased, diacritics folded, British spellings
mapped to American ones, English words stemmed (Snowball), and CJK characters taken one by one
(as Elasticsearch's standard tokenizer does).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

import Stemmer

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOKEN = re.compile(rf"[{_CJK}]|[^\W_{_CJK}]+", re.UNICODE)
_ASCII_WORD = re.compile(r"[a-z0-9]+")
_CJK_CHAR = re.compile(rf"[{_CJK}]")
_STEMMER = Stemmer.Stemmer("english")
_TERMS: dict[str, str] = {}
_MAX_REMEMBERED_TERMS = 200_000
_AMERICAN = {
    "licence": "license", "licences": "licenses", "licenced": "licensed", "licencing": "licensing",
    "licensee": "licensee", "defence": "defense", "offence": "offense", "programme": "program",
    "programmes": "programs", "labour": "labor", "favour": "favor", "favourable": "favorable",
    "centre": "center", "organisation": "organization", "organisations": "organizations",
    "authorisation": "authorization", "authorisations": "authorizations", "authorised": "authorized",
    "liberalisation": "liberalization", "harmonised": "harmonized", "subsidise": "subsidize",
    "subsidised": "subsidized", "jeopardise": "jeopardize", "prioritise": "prioritize", "aluminium": "aluminum",
    "tonnes": "tons", "tonne": "ton",
}


def analyze(text: str) -> list[str]:
    """The index terms of `text`, in order."""
    lowered = text.lower()
    if lowered.isascii():  # most English text: its words are runs of letters and digits
        return [_TERMS.get(word) or _term(word) for word in _ASCII_WORD.findall(lowered)]
    # Text with a few non-ASCII words ("Türkiye", an em dash): only those words need folding.
    return [_word_term(word) for word in _TOKEN.findall(text)]


def word_spans(text: str) -> list[tuple[int, int]]:
    """Where each word of `text` stands: the n-th span is that of the n-th term `analyze` makes."""
    lowered = text.lower()
    words = _ASCII_WORD.finditer(lowered) if lowered.isascii() else _TOKEN.finditer(text)
    return [match.span() for match in words]


def spans_of_words(text: str, chosen: Callable[[str], bool]) -> list[tuple[int, int]]:
    """Where the words of `text` stand whose term is `chosen`, in order (the words `analyze` reads).

    Each distinct word is analysed once and the chosen ones are looked up as strings, not every word
    analysed in turn.
    """
    lowered = text.lower()
    source, words = (lowered, _ASCII_WORD) if lowered.isascii() else (text, _TOKEN)
    spans: list[tuple[int, int]] = []
    for form in {word for word in set(words.findall(source)) if chosen(_word_term(word))}:
        whole_words_only = not _CJK_CHAR.fullmatch(form)  # a CJK character is a word wherever it stands
        start = source.find(form)
        while start >= 0:
            end = start + len(form)
            if not whole_words_only or not (_in_word(source, start - 1) or _in_word(source, end)):
                spans.append((start, end))
            start = source.find(form, end)
    return sorted(spans)


def _in_word(text: str, index: int) -> bool:
    """Whether the character at `index` is part of a word that is not CJK (False off either end)."""
    return 0 <= index < len(text) and text[index].isalnum() and not _CJK_CHAR.match(text[index])


def _word_term(word: str) -> str:
    """The term of one word as `analyze` finds it (lower-cased ASCII, or as written)."""
    if word.isascii():
        word = word.lower()
        return _TERMS.get(word) or _term(word)
    return _term(_fold(word))


def _term(word: str) -> str:
    """The term of a lower-cased, folded word: American spelling, stemmed; remembered, as news repeats its words."""
    term = _TERMS.get(word)
    if term is None:
        if len(_TERMS) >= _MAX_REMEMBERED_TERMS:
            _TERMS.clear()
        term = _TERMS[word] = _STEMMER.stemWord(_AMERICAN.get(word, word))
    return term


def index_form(text: str) -> str:
    """The analysed text as space-separated terms, which both backends index without further analysis."""
    return " ".join(analyze(text))


def prefix_form(text: str) -> str:
    """A prefix as typed, folded like the terms it should match but not stemmed (stemming a prefix changes it)."""
    match = _TOKEN.search(text)
    return _fold(match.group()) if match else ""


def _fold(word: str) -> str:
    word = word.lower()
    if not word.isascii():
        word = "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))
    return _AMERICAN.get(word, word)

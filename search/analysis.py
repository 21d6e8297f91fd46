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

import Stemmer

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOKEN = re.compile(rf"[{_CJK}]|[^\W_{_CJK}]+", re.UNICODE)
_ASCII_WORD = re.compile(r"[a-z0-9]+")
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
    terms = []
    for word in _TOKEN.findall(text):
        if word.isascii():
            word = word.lower()
            terms.append(_TERMS.get(word) or _term(word))
        else:
            terms.append(_term(_fold(word)))
    return terms


def word_spans(text: str) -> list[tuple[int, int]]:
    """Where each word of `text` stands: the n-th span is that of the n-th term `analyze` makes."""
    lowered = text.lower()
    words = _ASCII_WORD.finditer(lowered) if lowered.isascii() else _TOKEN.finditer(text)
    return [match.span() for match in words]


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

"""Names folded to the forms they are matched on: case, accents, punctuation and scripts folded, company
forms and Arabic articles set apart, and a sound key per word that collapses transliteration variants.

`fold` turns a word of any script into lower-case ASCII with anyascii (Сергей -> sergei, Müller ->
muller, محمد -> mhmd); Chinese characters stay as they are, one token each, since their romanisation
(hua wei ji shu) is not how lists write Chinese firms in Latin letters (Huawei Technologies).
`sound_key` maps spellings of one name to one key (Sergei, Sergey, Sergej; Mohammed, Muhammad;
Qaida, Qaeda; Qadhafi, Gaddafi) so candidates are found by exact lookups; similarity decides afterwards.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from anyascii import anyascii

from tradewire.enrich.screening.vocabulary import (
    ABBREVIATIONS,
    ARTICLE,
    COMMON_WORDS,
    COMPANY_FORMS,
    LONGEST_FORM,
    PARTICLES,
)
from tradewire.enrich.text import is_cjk

# Words, or single CJK characters: [CJK]|[^\W_CJK]+, written to start with one class of every first character (a
# word character or CJK, less "_"), so the engine skips to the next candidate rather than trying both at each place.
_CJK_RANGES = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
WORD = re.compile(f"[\\w{_CJK_RANGES}](?<!_)(?:(?<=[{_CJK_RANGES}])|[^\\W_{_CJK_RANGES}]*)")
_APOSTROPHES = re.compile(r"(?<=\w)['’ʼ`ʹ](?=\w)|(?<=\w)['’ʼʹ](?!\w)")


@dataclass(frozen=True, slots=True)
class AnalysedName:
    """A name as it is matched: `tokens` without company form and articles, in the name's order."""

    tokens: tuple[str, ...]
    form: str  # the canonical company form the name carries ("ltd", "jsc", ...), or ""
    cjk: bool  # written in Chinese characters: tokens are characters, matched in order
    article: bool = False  # written with "the" before it

    @property
    def weak(self) -> bool:
        """Too generic to stand for a party on its own: common words only, or one short Latin word."""
        if self.cjk:
            return len(self.tokens) < 2
        return all(token in COMMON_WORDS for token in self.tokens) or (len(self.tokens) == 1 and len(self.tokens[0]) < 4)


@lru_cache(maxsize=65536)
def fold(word: str) -> str:
    """One word in lower-case ASCII letters and digits (a CJK character is kept as it is)."""
    if len(word) == 1 and is_cjk(word):
        return word
    if word.isascii():
        folded = word.lower()
    else:
        folded = "".join(char for char in anyascii(unicodedata.normalize("NFC", word)).lower() if char.isalnum())
    return ABBREVIATIONS.get(folded, folded)


def words(text: str) -> list[tuple[int, int, str]]:
    """(start, end, folded word) for each word of `text`, offsets into `text`; empty folds (symbols) left out."""
    return [(match.start(), match.end(), folded) for match in WORD.finditer(text) if (folded := fold(match.group()))]


def split_folded(text: str) -> list[str]:
    """The folded words of a name; apostrophes inside a word are dropped first (Da'esh, Rosneft')."""
    return [folded for _, _, folded in words(_APOSTROPHES.sub("", text))]


def analyse(name: str, person: bool = False) -> AnalysedName:
    """The matching form of a list name or a queried name; a person's name keeps every word (no company forms)
    and a 'SURNAME, Given Names' name is put in reading order."""
    text = unicodedata.normalize("NFKC", name)
    if person and text.count(",") == 1:
        surname, given = text.split(",")
        text = f"{given} {surname}"
    tokens = split_folded(text)
    cjk = bool(tokens) and all(len(token) == 1 and is_cjk(token) for token in tokens)
    form = ""
    if not person:
        tokens, form = _strip_forms(tokens)
    core = [token for token in tokens if token not in PARTICLES] or tokens
    return AnalysedName(tuple(core), form, cjk, ARTICLE in tokens)


def _strip_forms(tokens: list[str]) -> tuple[list[str], str]:
    """Company forms taken off the end (and a Russian form off the start: OOO Romashka), while a word remains."""
    form = ""
    changed = True
    while changed and len(tokens) > 1:
        changed = False
        for size in range(min(LONGEST_FORM, len(tokens) - 1), 0, -1):
            found = COMPANY_FORMS.get(tuple(tokens[-size:]))
            if found:
                form, tokens, changed = form or found, tokens[:-size], True
                break
        else:
            for size in range(min(LONGEST_FORM, len(tokens) - 1), 0, -1):
                found = COMPANY_FORMS.get(tuple(tokens[:size]))
                if found:
                    form, tokens, changed = form or found, tokens[size:], True
                    break
    return tokens, form


_DIGRAPHS = (("shch", "sh"), ("sch", "sh"), ("tch", "ch"), ("dzh", "j"), ("dj", "j"), ("zh", "j"), ("kh", "h"),
             ("ph", "f"), ("gh", "g"), ("th", "t"), ("dh", "d"), ("ck", "k"), ("ch", "\x01"), ("q", "k"), ("c", "k"), ("g", "k"),
             ("w", "v"), ("x", "ks"), ("\x01", "ch"))
_VOWELS = re.compile(r"[aeiouy]+")
_J_AFTER_VOWEL = re.compile(r"(?<=[aeiouy])j")
_DOUBLE = re.compile(r"([b-df-hj-np-tv-z])\1+")


@lru_cache(maxsize=262144)
def sound_key(token: str) -> str:
    """A key shared by transliterations of one word: its consonants, after an initial vowel written 'a'
    (Sergei, Sergey, Sergej -> srk; Yevgeniy, Evgeny -> avkn; Qadhafi, Gaddafi -> kdf).

    Lossy on purpose: it only proposes candidates, which the similarity of the spellings then confirms.
    """
    if not token.isascii() or token.isdigit() or len(token) < 3:
        return token
    key = _J_AFTER_VOWEL.sub("i", token)
    for old, new in _DIGRAPHS:
        key = key.replace(old, new)
    key = _DOUBLE.sub(r"\1", key)
    head = "a" if key[0] in "aeiouy" else key[0]
    return head + _VOWELS.sub("", key[1:])

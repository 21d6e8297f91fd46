"""A screening index over every name and alias of loaded list entries. (About 300 lines: `screen` and
`find_in_text` share the index's keys and checks, so they stay in one module.)

`screen(name)` answers whether a name is listed: candidates come from exact lookups of the query
words' sound keys in an inverted index, and only those few are scored (`enrich.screening.scoring`).
`find_in_text(text)` finds listed names written in an article in one pass over the text's words, each
word mapped to one character standing for its sound key: at each word, the name patterns starting there
are looked up by growing the span one word at a time while it is still the beginning of some pattern (a
set of pattern prefixes). An Aho-Corasick automaton did this before, but its nodes search their children
one by one, and the root has one child per word key (tens of thousands), so every word the lists do not
start a name with cost a scan of them all; the hashed lookups are about eight times faster over news
text for the same hits. Names are found only written capitalised, so a lower-case word maps to a
character no pattern holds and only the runs of capitalised words are scanned; the words come from one
regular-expression split, their offsets are made only for a text with a pattern hit and their folded
forms only for the words in and around a hit (together, less than half the time per news article). A hit
is kept only where the text writes it as a name (capitalised, not a fragment of a longer name, not a
person's surname alone) and its spelling scores above the threshold. Generic names (common words only, or
one short word) are found in text only when written with a company form ("Golden Star Co."), and match a
screened name only in full.

Memory is kept small for hundreds of thousands of names: per name a tuple of interned words and a few
bytes of flags; postings are arrays of name numbers; a pattern (a string of one character per word)
stores the number of each name it stands for (one int, or a tuple when several names share it).
"""

from __future__ import annotations

import re
import sys
from array import array
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import accumulate, compress
from typing import overload

from tradewire.enrich.screening.entries import ListEntry
from tradewire.enrich.screening.normalize import WORD, AnalysedName, analyse, fold, sound_key
from tradewire.enrich.screening.scoring import score_name, word_similarity
from tradewire.enrich.screening.vocabulary import COMPANY_FORMS, PARTICLES, TITLE_WORDS

THRESHOLD = 0.88
_FORM_CODES = {"": 0, "llc": 1, "ltd": 2, "jsc": 3, "inc": 4, "group": 5}
_FORM_NAMES = {code: form for form, code in _FORM_CODES.items()}
_PERSON, _WEAK, _CJK, _ARTICLE = 1, 2, 4, 8
# Postings longer than this (a sound key shared by very many names) do not propose candidates on their own.
_COMMON_KEY = 20_000
_MOST_CANDIDATES = 300
_LONGEST_PATTERN = 31  # a name of more words is not looked for in text
_UNKNOWN = "\x01"
_CACHED_WORDS = 200_000
_FORM_WORDS = frozenset(word for phrase in COMPANY_FORMS for word in phrase)
# A text split into its words and what lies between them, alternately: offsets come from the parts' lengths.
_PARTS = re.compile(f"({WORD.pattern})")
_KNOWN_RUN = re.compile(f"[^{_UNKNOWN}]+")


@dataclass(frozen=True, slots=True)
class ScreeningMatch:
    entry: ListEntry
    name: str  # the list's name or alias that matched
    score: float
    why: str
    span: tuple[int, int] | None = None  # in find_in_text: where the text names the party
    text: str = ""  # the queried name, or the text's words


class ScreeningIndex:
    def __init__(self, entries: Iterable[ListEntry], threshold: float = THRESHOLD) -> None:
        self.threshold = threshold
        self.entries: list[ListEntry] = []
        self._owner = array("I")
        self._alias = array("H")
        self._words: list[tuple[str, ...]] = []
        self._flags = bytearray()
        self._forms = bytearray()
        postings: dict[str, list[int]] = {}
        self._keys: dict[str, int] = {}
        self._patterns: dict[str, int | tuple[int, ...]] = {}
        for entry in entries:
            self._add_entry(entry, postings)
        self._postings = {key: array("I", ids) for key, ids in postings.items()}
        # Every proper beginning of a pattern: the scan of the text goes on past a word only while one is.
        self._prefixes = frozenset(pattern[:size] for pattern in self._patterns for size in range(1, len(pattern)))
        self._marks = _WordMarks(self._keys)

    def __len__(self) -> int:
        return len(self._words)

    def _add_entry(self, entry: ListEntry, postings: dict[str, list[int]]) -> None:
        number = len(self.entries)
        self.entries.append(entry)
        person = entry.kind == "person"
        for alias, name in enumerate(entry.names[:65535]):
            analysed = analyse(name, person=person)
            if not analysed.tokens:
                continue
            self._add_name(number, alias, analysed, person, postings)
            if person and analysed.cjk and 2 <= len(analysed.tokens) <= 4:
                # A Chinese person's name in pinyin, surname first: 李方伟 -> li fangwei.
                syllables = [fold(char) for char in analysed.tokens]
                self._add_name(number, alias, AnalysedName((syllables[0], "".join(syllables[1:])), "", False), person, postings)

    def _add_name(self, owner: int, alias: int, name: AnalysedName, person: bool, postings: dict[str, list[int]]) -> None:
        identity = len(self._words)
        tokens = tuple(sys.intern(token) for token in name.tokens)
        self._owner.append(owner)
        self._alias.append(alias)
        self._words.append(tokens)
        self._flags.append((_PERSON if person else 0) | (_WEAK if name.weak else 0) | (_CJK if name.cjk else 0)
                           | (_ARTICLE if name.article else 0))
        self._forms.append(_FORM_CODES[name.form])
        keys = [sound_key(token) for token in tokens]
        # The whole name's letters as one key too, for names whose words are joined or split differently.
        for key in dict.fromkeys([*keys, sound_key("".join(tokens))] if len(tokens) > 1 and not name.cjk else keys):
            postings.setdefault(key, []).append(identity)
        if (name.weak and not (name.form and len(tokens) > 1)) or len(tokens) > _LONGEST_PATTERN or (person and len(tokens) < 2):
            return
        for variant in _variants(keys, person):
            self._add_pattern(variant, identity)

    def _add_pattern(self, keys: tuple[str, ...], identity: int) -> None:
        pattern = "".join(self._key_char(key) for key in keys)
        existing = self._patterns.get(pattern)
        if existing is None:
            self._patterns[pattern] = identity
        else:
            self._patterns[pattern] = (*(existing if isinstance(existing, tuple) else (existing,)), identity)

    def _key_char(self, key: str) -> str:
        number = self._keys.get(key)
        if number is None:
            number = self._keys[key] = len(self._keys)
        return _char(number)

    def _match(self, identity: int, score: float, why: str, text: str, span: tuple[int, int] | None = None) -> ScreeningMatch:
        entry = self.entries[self._owner[identity]]
        return ScreeningMatch(entry, entry.names[self._alias[identity]], score, why, span, text)

    def screen(self, name: str, limit: int = 10) -> list[ScreeningMatch]:
        """The listed entries `name` matches, best first, one match per entry (its best-matching name)."""
        as_person, as_body = analyse(name, person=True), analyse(name, person=False)
        if not as_person.tokens:
            return []
        best: dict[int, ScreeningMatch] = {}
        for identity in self._candidates(as_person, as_body):
            flags = self._flags[identity]
            query = as_person if flags & _PERSON else as_body
            score = score_name(query, self._words[identity], person=bool(flags & _PERSON), weak=bool(flags & _WEAK),
                               cjk=bool(flags & _CJK), form=_FORM_NAMES[self._forms[identity]], article=bool(flags & _ARTICLE))
            if score is None or score.value < self.threshold:
                continue
            owner = self._owner[identity]
            if owner not in best or best[owner].score < score.value:
                best[owner] = self._match(identity, score.value, "; ".join(score.reasons), name)
        return sorted(best.values(), key=lambda match: -match.score)[:limit]

    def _candidates(self, query: AnalysedName, as_body: AnalysedName) -> list[int]:
        """Names that share all but one of the query's word keys, or the whole query's letters as one key."""
        keys = list(dict.fromkeys(sound_key(token) for token in query.tokens if token not in _FORM_WORDS or len(query.tokens) == 1))
        counts: Counter[int] = Counter()
        postings = [self._postings[key] for key in keys if key in self._postings]
        for posting in [p for p in postings if len(p) <= _COMMON_KEY] or sorted(postings, key=len)[:1]:
            counts.update(posting)
        # One word may be misspelt beyond its sound key: a candidate shares all the query's other keys.
        needed = max(1, len(keys) - 1)
        chosen = [identity for identity, shared in counts.most_common(_MOST_CANDIDATES * 4) if shared >= needed][:_MOST_CANDIDATES]
        for joined in {sound_key("".join(query.tokens)), sound_key("".join(as_body.tokens))}:
            chosen += self._postings.get(joined, array("I"))[:_MOST_CANDIDATES]
        return list(dict.fromkeys(chosen))

    def find_in_text(self, text: str, candidates: list[tuple[int, int]] | None = None) -> list[ScreeningMatch]:
        """Listed names written in `text`, in text order, each with its span; with `candidates` (spans of the
        article's names: gazetteer entities, capitalised spans, company names), only hits inside one of them."""
        if not self._patterns:
            return []
        parts = _PARTS.split(text)
        marks = list(map(self._marks.__getitem__, parts[1::2]))
        pattern_hits = self._pattern_hits("".join(marks))
        if not pattern_hits:
            return []
        ends = list(accumulate(map(len, parts)))
        # The words the sequence stands for, (start, end, folded): the text's words less particles and symbols.
        found = _TextWords(parts, ends, list(compress(range(len(marks)), marks)))
        hits: dict[tuple[int, tuple[int, int]], ScreeningMatch] = {}
        for first, last, value in pattern_hits:
            span = (found[first][0], found[last][1])
            if candidates is not None and not any(start <= span[0] and span[1] <= end for start, end in candidates):
                continue
            for identity in value if isinstance(value, tuple) else (value,):
                match = self._text_hit(text, found, first, last, identity)
                if match is not None:
                    key = (self._owner[identity], span)
                    if key not in hits or hits[key].score < match.score:
                        hits[key] = match
        kept = [match for match in hits.values()
                if not any(other.span != match.span and other.span[0] <= match.span[0] and match.span[1] <= other.span[1]  # type: ignore[index]
                           for other in hits.values())]
        return sorted(kept, key=lambda match: (match.span, -match.score))  # type: ignore[arg-type, return-value]

    def _pattern_hits(self, sequence: str) -> list[tuple[int, int, int | tuple[int, ...]]]:
        """(index of the first word, of the last, the pattern's names) for every pattern written in `sequence`;
        only runs of words some pattern holds are scanned."""
        patterns, prefixes = self._patterns, self._prefixes
        hits = []
        for run in _KNOWN_RUN.finditer(sequence):
            words_of_run, offset = run.group(), run.start()
            for first in range(len(words_of_run)):
                end = first + 1
                while end <= len(words_of_run):
                    piece = words_of_run[first:end]
                    value = patterns.get(piece)
                    if value is not None:
                        hits.append((offset + first, offset + end - 1, value))
                    if piece not in prefixes:
                        break
                    end += 1
        hits.sort(key=lambda hit: hit[1])  # in text order of their ends, the longest first at each (as before)
        return hits

    def _text_hit(self, text: str, found: Sequence[tuple[int, int, str]], first: int, last: int, identity: int) -> ScreeningMatch | None:
        flags = self._flags[identity]
        person, cjk = bool(flags & _PERSON), bool(flags & _CJK)
        written = found[first : last + 1]
        if cjk:
            if not _chinese_name_stands(text, written, person):
                return None
        elif _continues(text, found, last) or (
            (person or len(written) == 1) and _follows_a_name(text, found, first)
        ):
            return None
        # A generic name must be written with a company form to stand for the listed party ("Golden Star Co.").
        if flags & _WEAK and not _form_follows(found, last):
            return None
        name = self._words[identity]
        query = AnalysedName(tuple(folded for _, _, folded in written), "", cjk)
        if cjk:
            # Characters stand for themselves; the pattern already matched them in order.
            value, why = 1.0, "same Chinese name"
        else:
            paired = [word_similarity(a, b) for a, b in _aligned(query.tokens, name)]
            if min(paired) < 0.82:
                return None
            value = sum(paired) / len(paired) - 0.03 * (len(name) - len(query.tokens))
            why = "same words" if value == 1.0 else "spelling, order or middle names differ"
        if value < self.threshold:
            return None
        while _next_word(text, found, last, " -.,\u00a0") is not None and found[last + 1][2] in _FORM_WORDS:
            last += 1  # the span takes in the company form written after the name
        span = (written[0][0], found[last][1])
        return self._match(identity, round(value, 3), why, text[span[0] : span[1]], span)


class _TextWords(Sequence[tuple[int, int, str]]):
    """The words of a text its sequence stands for, each (start, end, folded), made when asked for: the hits of a
    text read only the words in and around them, so the others (hundreds in an article) are never folded."""

    __slots__ = ("_ends", "_parts", "_words")

    def __init__(self, parts: list[str], ends: list[int], words: list[int]) -> None:
        # parts: the text's words and what lies between them, alternately; ends: each part's end offset; words:
        # the numbers (among the text's words, parts[1::2]) of the words the sequence stands for.
        self._parts, self._ends, self._words = parts, ends, words

    def __len__(self) -> int:
        return len(self._words)

    @overload
    def __getitem__(self, index: int) -> tuple[int, int, str]: ...
    @overload
    def __getitem__(self, index: slice) -> list[tuple[int, int, str]]: ...

    def __getitem__(self, index: int | slice) -> tuple[int, int, str] | list[tuple[int, int, str]]:
        if isinstance(index, slice):
            return [self[number] for number in range(*index.indices(len(self._words)))]
        part = 2 * self._words[index] + 1
        return self._ends[part - 1], self._ends[part], fold(self._parts[part])


def _char(number: int) -> str:
    """The character that stands for sound key number `number` in patterns and in a text's sequence."""
    code = number + 0x20
    return chr(code + 0x800 if code >= 0xD800 else code)  # skip the surrogate range


class _WordMarks(dict[str, str]):
    """A text's word as written -> its character in the sequence scanned for patterns: "" for a word the scan
    passes over (a particle, a symbol), _UNKNOWN for one no pattern holds: its key is no listed word's, or it is
    not capitalised (names are found only written capitalised, so a lower-case word ends any pattern).
    Filled as texts are screened; cleared when full, since a long-running worker meets ever new words."""

    def __init__(self, keys: dict[str, int]) -> None:
        super().__init__()
        self._keys = keys

    def __missing__(self, word: str) -> str:
        if len(self) >= _CACHED_WORDS:
            self.clear()
        folded = fold(word)
        if not folded or folded in PARTICLES:
            mark = ""
        elif not _capitalised(word, 0):
            mark = _UNKNOWN
        else:
            number = self._keys.get(sound_key(folded))
            mark = _UNKNOWN if number is None else _char(number)
        self[word] = mark
        return mark


def _variants(keys: list[str], person: bool) -> list[tuple[str, ...]]:
    """The word sequences a name is searched for in text: as listed; a person's also first and last name
    alone, and surname first (KIM Yong Chol / Yong Chol KIM, Lavrov Sergei)."""
    variants = [tuple(keys)]
    if person and len(keys) >= 2:
        variants += [(keys[-1], *keys[:-1]), (keys[0], keys[-1]), (keys[-1], keys[0])]
    return list(dict.fromkeys(variants))


def _aligned(written: tuple[str, ...], name: tuple[str, ...]) -> list[tuple[str, str]]:
    """Each written word with the list name's word of the same sound key (the automaton matched keys)."""
    remaining = list(name)
    pairs = []
    for word in written:
        key = sound_key(word)
        partner = next((other for other in remaining if sound_key(other) == key), remaining[0] if remaining else word)
        if partner in remaining:
            remaining.remove(partner)
        pairs.append((word, partner))
    return pairs


def _capitalised(text: str, start: int) -> bool:
    char = text[start]
    return char.isupper() or char.isdigit() or char.lower() == char.upper()  # scripts without case pass


def _next_word(text: str, found: Sequence[tuple[int, int, str]], index: int, between: str = " -\u00a0") -> tuple[int, int, str] | None:
    """The word after `found[index]` when only characters of `between` (spaces, a hyphen) lie between them."""
    if index + 1 >= len(found):
        return None
    following = found[index + 1]
    gap = text[found[index][1] : following[0]]
    return following if gap.strip(between) == "" and "\n" not in gap else None


def _continues(text: str, found: Sequence[tuple[int, int, str]], last: int) -> bool:
    """Whether the name goes on past the hit ("Rosneft Trading" is not Rosneft); a company form may follow."""
    following = _next_word(text, found, last)
    return following is not None and _capitalised(text, following[0]) and following[2] not in _FORM_WORDS and not text[following[0]].isdigit()


def _form_follows(found: Sequence[tuple[int, int, str]], last: int) -> bool:
    return last + 1 < len(found) and found[last + 1][2] in _FORM_WORDS


def _follows_a_name(text: str, found: Sequence[tuple[int, int, str]], first: int) -> bool:
    """Whether a capitalised word other than a title stands right before a person's name (Mohammed Ali Hassan)."""
    if first == 0:
        return False
    before = found[first - 1]
    if _next_word(text, found, first - 1) is None or not text[before[0]].isupper():
        return False
    return before[2] not in TITLE_WORDS and not _starts_sentence(text, before[0])


def _starts_sentence(text: str, start: int) -> bool:
    prefix = text[:start].rstrip()
    return not prefix or prefix[-1] in ".!?\"'“”:;\n"


def _chinese_name_stands(text: str, written: list[tuple[int, int, str]], person: bool) -> bool:
    """A Chinese name found inside running Chinese text: long enough to mean itself, or followed by a company form."""
    if len(written) >= 4 or (person and len(written) >= 3):
        return True
    after = text[written[-1][1] : written[-1][1] + 6]
    return any(after.startswith(form) for form in ("公司", "有限", "集团", "股份"))

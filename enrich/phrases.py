"""One Aho-Corasick pass finds every phrase of every rule, cue, entity alias and vocabulary entry.

Phrases are matched on the length-preserving `matching_form` of the text, so offsets are the
document's own. A phrase ending in `*` matches any word that starts with it (`licen*`).
Latin phrases must sit on word boundaries; CJK phrases match anywhere (Chinese has no spaces).
The other forms of `enrich.patterns` (gaps, alternatives, inner prefixes, regular expressions)
are matched by their own expressions, each tried only on texts that hold its literal anchor.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from operator import itemgetter
from typing import Generic, Literal, NamedTuple, TypeVar

import ahocorasick

from tradewire.enrich.patterns import CompiledPattern, compile_pattern
from tradewire.enrich.text import is_cjk, is_word_char, matching_form

Payload = TypeVar("Payload")
CaseRule = Literal["any", "exact", "capitalized"]


@dataclass(frozen=True, slots=True)
class Phrase(Generic[Payload]):
    pattern: str
    payload: Payload
    case: CaseRule = "any"


class Hit(NamedTuple, Generic[Payload]):
    # A named tuple: hundreds are made per article, and tuples are the cheapest to make.
    start: int
    end: int
    payload: Payload


@dataclass(frozen=True, slots=True)
class _Entry(Generic[Payload]):
    exact_form: str
    prefix: bool
    case: CaseRule
    payload: Payload
    # For the first word of a pattern form: the index of its expression, tried where the word is found.
    expression: int = -1


class PhraseMatcher(Generic[Payload]):
    def __init__(self, phrases: Iterable[Phrase[Payload]]) -> None:
        by_key: dict[str, list[_Entry[Payload]]] = {}
        # One expression per distinct pattern, with every payload it stands for (the ECCN expression serves three rules).
        self._expressions: list[tuple[CompiledPattern, list[Payload]]] = []
        index_of: dict[str, int] = {}
        for phrase in phrases:
            if phrase.pattern in index_of:
                self._expressions[index_of[phrase.pattern]][1].append(phrase.payload)
                continue
            compiled = compile_pattern(phrase.pattern)
            if compiled is not None:
                index_of[phrase.pattern] = len(self._expressions)
                for start in compiled.starts:
                    entry = _Entry("", True, "any", phrase.payload, expression=len(self._expressions))
                    by_key.setdefault(start, []).append(entry)
                self._expressions.append((compiled, [phrase.payload]))
                continue
            prefix = phrase.pattern.endswith("*")
            pattern = phrase.pattern.rstrip("*").strip()
            if not pattern:
                continue
            key = matching_form(pattern)
            exact_form = pattern.translate(_EXACT_FOLD)
            by_key.setdefault(key, []).append(_Entry(exact_form, prefix, phrase.case, phrase.payload))
        self._automaton = ahocorasick.Automaton()
        for key, entries in by_key.items():
            boundary_free = not is_word_char(key[0]) or is_cjk(key[0])
            ends_word = not is_word_char(key[-1]) or is_cjk(key[-1])
            any_prefix = any(entry.prefix for entry in entries)
            # A key whose entries are all whole words in any case (most are) needs no look at each entry: its payloads.
            plain = all(entry.expression < 0 and not entry.prefix and entry.case == "any" for entry in entries)
            payloads = tuple(entry.payload for entry in entries) if plain else None
            # The others' entries as plain tuples, unpacked at once in the loop rather than read field by field.
            fields = tuple((entry.expression, entry.prefix, entry.case, entry.exact_form, entry.payload)
                           for entry in entries)
            self._automaton.add_word(key, (len(key), boundary_free, ends_word, any_prefix, fields, payloads))
        self._scanned = [(compiled, payloads) for compiled, payloads in self._expressions if not compiled.starts]
        self._empty = not by_key and not self._expressions
        if by_key:
            self._automaton.make_automaton()

    def find(self, text: str, folded: str | None = None) -> list[Hit[Payload]]:
        """All hits in `text`, in order of start offset. `folded` is `matching_form(text)` if already computed."""
        if self._empty:
            return []
        folded = matching_form(text) if folded is None else folded
        size = len(folded)
        hits: list[Hit[Payload]] = []
        append = hits.append
        tried: set[tuple[int, int]] = set()
        # Word characters: letters and digits, CJK excepted (Chinese phrases match anywhere). Inlined: this loop is hot.
        # Hits are made with tuple.__new__, which is what Hit(...) does without the call of its Python __new__.
        matches = self._automaton.iter(folded) if self._automaton.kind == ahocorasick.AHOCORASICK else ()
        for last, (length, boundary_free, ends_word, any_prefix, entries, plain) in matches:
            start = last - length + 1
            end = last + 1
            if not boundary_free and start > 0:
                before = folded[start - 1]
                if before.isalnum() and not ("\u3400" <= before <= "\ufaff"):
                    continue
            following = folded[end] if end < size else " "
            closes_word = ends_word or not following.isalnum() or "\u3400" <= following <= "\ufaff"
            if plain is not None:
                if closes_word:
                    for payload in plain:
                        append(_new_tuple(Hit, (start, end, payload)))
                continue
            word_end = end
            if any_prefix:
                while word_end < size and folded[word_end].isalnum() and not ("\u3400" <= folded[word_end] <= "\ufaff"):
                    word_end += 1
            for expression, prefix, case, exact_form, payload in entries:
                if expression >= 0:
                    tried.add((expression, start))
                    continue
                if prefix:
                    hit_end = word_end
                elif closes_word:
                    hit_end = end
                else:
                    continue
                if case == "exact" and text[start:end].translate(_EXACT_FOLD) != exact_form:
                    continue
                if case == "capitalized" and text[start].islower():
                    continue
                append(_new_tuple(Hit, (start, hit_end, payload)))
        # Whether the text holds the words an expression needs after its first: looked up at its second start (at
        # its first, trying it costs less than looking through the text for them).
        possible: dict[int, bool | None] = {}
        for index, start in tried:
            compiled, payloads = self._expressions[index]
            if index not in possible:
                possible[index] = None
            elif possible[index] is None:
                possible[index] = compiled.possible_in(folded)
            if possible[index] is False:
                continue
            match = compiled.expression.match(folded, start)
            if match is not None:
                hits += [Hit(start, match.end(), payload) for payload in payloads]
        for compiled, payloads in self._scanned:
            for match in compiled.expression.finditer(folded):
                hits += [Hit(match.start(), match.end(), payload) for payload in payloads]
        _in_text_order(hits)
        return hits


_new_tuple = tuple.__new__
_START, _END = itemgetter(0), itemgetter(1)


def _in_text_order(hits: list[Hit[Payload]]) -> None:
    """Sort hits by start, the longest first at each start, in place; hits of the same span keep their order. (Two
    stable sorts on C keys: the same order as one sort on (start, -end), without a Python call per hit.)"""
    hits.sort(key=_END, reverse=True)
    hits.sort(key=_START)


_EXACT_FOLD = str.maketrans({"-": " ", "\u2010": " ", "\u2011": " ", "\u00a0": " ", "\n": " ", "\u2019": "'"})


def leftmost_longest(hits: list[Hit[Payload]]) -> list[Hit[Payload]]:
    """Drop hits that overlap an earlier-starting or, at the same start, longer hit."""
    if len(hits) < 2:
        return list(hits)
    chosen: list[Hit[Payload]] = []
    last_end = -1
    ordered = list(hits)
    _in_text_order(ordered)
    for hit in ordered:
        if hit.start >= last_end:
            chosen.append(hit)
            last_end = hit.end
    return chosen

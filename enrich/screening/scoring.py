"""How well a queried or written name matches one list name: word by word, in any order, precision first.

Each word of the query is paired with the most similar unpaired word of the list name (normalised
Levenshtein similarity of the folded spellings, raised where the two share a sound key: Sergei/Sergey,
Mohammed/Muhammad). Words of different sound keys pair only when they differ by a slip (Stlantis for
Stellantis), so similar names of other people (Pugin for Putin, Sechkin for Sechin) do not pair at all.
Names written with their words joined or split differently (Li Fang Wei, Li Fangwei; Ansar Allah,
Ansarallah) match when the letters are the same.
Every word of the query must find its pair; so must every word of an organisation's name, while a
person's middle names may be left out (Sergei Lavrov for Sergei Viktorovich Lavrov) but never the first
or the last word (a surname alone is no match). Chinese names match character for character, in order.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

from tradewire.enrich.screening.normalize import AnalysedName, sound_key

# A pair of words below this similarity is no pair at all.
WORD_FLOOR = 0.82
# Words of different sound keys must be this similar: one slip in ten letters.
SLIP_FLOOR = 0.9
# One-word names leave no other word to confirm them: they must be all but identical.
ONE_WORD_FLOOR = 0.9
JOINED_DIFFERENTLY = 0.95
OMITTED_MIDDLE_NAME = 0.03
INITIAL = 0.9
PLURAL = 0.95


@dataclass(frozen=True, slots=True)
class Score:
    value: float
    reasons: tuple[str, ...]


def word_similarity(left: str, right: str) -> float:
    if left == right:
        return 1.0
    if (len(left) == 1 or len(right) == 1) and left[0] == right[0] and left.isalpha() and right.isalpha():
        return INITIAL  # an initial for the word it stands for: Sergey V. Lavrov
    if len(left) > 3 and len(right) > 3 and left.rstrip("s") == right.rstrip("s"):
        return PLURAL  # Guards Corps for Guard Corps
    similarity = Levenshtein.normalized_similarity(left, right)
    if sound_key(left) == sound_key(right):
        return (similarity + 1.0) / 2
    return similarity if similarity >= SLIP_FLOOR else 0.0


def score_name(
    query: AnalysedName, name: tuple[str, ...], *, person: bool, weak: bool, cjk: bool, form: str, article: bool = False
) -> Score | None:
    """The score of `query` against a list name's words, or None when they do not match."""
    if query.cjk or cjk:
        if query.cjk and cjk and query.tokens == name:
            return Score(1.0, ("same Chinese name",))
        return None
    if weak:
        # A name of common words matches only itself, company form included ("Golden Star Co.").
        if query.tokens == name and query.form == form and query.article == article:
            return Score(1.0, ("same name (a generic one: matched in full only)",))
        return None
    if len(query.tokens) != len(name) and "".join(query.tokens) == "".join(name) and (not person or len(query.tokens) > 1):
        return Score(JOINED_DIFFERENTLY, ("words joined or split differently",))
    if len(query.tokens) > len(name) or (person and len(query.tokens) < 2):
        return None
    pairs = _pair(query.tokens, name)
    if pairs is None:
        return None
    paired = {position for _, position, _ in pairs}
    left_out = [position for position in range(len(name)) if position not in paired]
    if left_out and (not person or 0 in left_out or len(name) - 1 in left_out):
        return None
    weights = [len(query.tokens[index]) for index, _, _ in pairs]
    value = sum(weight * similarity for weight, (_, _, similarity) in zip(weights, pairs)) / sum(weights)
    if len(name) == 1 and value < ONE_WORD_FLOOR:
        return None
    # Once, however many: Arabic and Russian names often carry several middle names news leaves out.
    value -= OMITTED_MIDDLE_NAME if left_out else 0.0
    return Score(round(value, 3), _reasons(query, name, pairs, left_out, form))


def _pair(query: tuple[str, ...], name: tuple[str, ...]) -> list[tuple[int, int, float]] | None:
    """Each query word's partner in `name` (query index, name index, similarity), best pairs first; None if one has none."""
    candidates = sorted(
        ((word_similarity(word, other), index, position) for index, word in enumerate(query) for position, other in enumerate(name)),
        reverse=True,
    )
    used_query: set[int] = set()
    used_name: set[int] = set()
    pairs = []
    for similarity, index, position in candidates:
        if similarity < WORD_FLOOR:
            break
        if index in used_query or position in used_name:
            continue
        used_query.add(index)
        used_name.add(position)
        pairs.append((index, position, similarity))
    return pairs if len(pairs) == len(query) else None


def _reasons(query: AnalysedName, name: tuple[str, ...], pairs: list[tuple[int, int, float]], left_out: list[int], form: str) -> tuple[str, ...]:
    reasons = []
    if all(similarity == 1.0 for _, _, similarity in pairs):
        reasons.append("same words")
    else:
        changed = [f"{query.tokens[i]}~{name[p]}" for i, p, similarity in pairs if similarity < 1.0]
        reasons.append("spelling or transliteration: " + ", ".join(changed))
    if [position for _, position, _ in sorted(pairs)] != sorted(position for _, position, _ in pairs):
        reasons.append("word order")
    if left_out:
        reasons.append("middle name left out: " + ", ".join(name[p] for p in left_out))
    if query.form != form:
        reasons.append(f"company form {query.form or 'none'} / {form or 'none'}")
    return tuple(reasons)

"""The pattern forms a taxonomy phrase may take, checked once when the taxonomy loads.

- a plain phrase: `export licence`, `实体清单`; a word ending in `*` matches any word starting with
  it, in any position (`licen* plate*`);
- alternatives for one word, separated by `|`: `froze|frozen|freezing ... assets|property`;
- `...` between parts: up to `GAP_WORDS` words (in Chinese, `GAP_CHARS` characters) in between;
- `re:` and a regular expression, matched on the lower-cased matching form of the text
  (hyphens and dashes are spaces): `re:\\b[0-9][a-e][0-9]{3}\\b` for ECCNs such as 3A090.

Plain phrases go into the phrase automaton; the other forms compile to one regular expression each,
tried only where the automaton finds one of the words it starts with (`re:` expressions are scanned).
Anything else (a `*` inside a word, an empty alternative, a gap at an end) is refused with the reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tradewire.enrich.text import is_cjk, matching_form

GAP_WORDS = 8
GAP_CHARS = 30
_GAP = "..."
_WORD = re.compile(r"^[^\s*|]+\*?$")


@dataclass(frozen=True, slots=True)
class CompiledPattern:
    """A pattern the automaton cannot hold: its expression, and the literal words a match can start with
    (their matching form, a trailing `*` dropped); none for a `re:` expression, which is scanned for."""

    expression: re.Pattern[str]
    starts: tuple[str, ...]
    # For each part after the first, the literals one of which a match must hold: a text without them is skipped.
    requires: tuple[tuple[str, ...], ...] = ()

    def possible_in(self, folded: str) -> bool:
        return all(any(literal in folded for literal in part) for part in self.requires)


def is_plain(pattern: str) -> bool:
    """Whether the phrase automaton can hold the pattern (at most a trailing `*` on its last word)."""
    if pattern.startswith("re:") or _GAP in pattern or "|" in pattern:
        return False
    return "*" not in pattern.rstrip("*")


def check_pattern(pattern: str) -> str:
    """The pattern unchanged if it is a supported form; a ValueError saying what is wrong otherwise."""
    compile_pattern(pattern)
    return pattern


def compile_pattern(pattern: str) -> CompiledPattern | None:
    """None for a plain phrase; else the pattern compiled. Raises ValueError for an unsupported form."""
    if not pattern.strip():
        raise ValueError("empty phrase")
    if pattern.startswith("re:"):
        source = pattern[3:]
        try:
            expression = re.compile(source)
        except re.error as error:
            raise ValueError(f"invalid regular expression {source!r}: {error}") from None
        if expression.search(""):
            raise ValueError(f"regular expression {source!r} matches the empty string")
        return CompiledPattern(expression, ())
    if is_plain(pattern):
        if pattern.strip() == "*":
            raise ValueError("a phrase of only '*'")
        return None
    folded = matching_form(pattern)
    parts = [part.strip() for part in folded.split(_GAP)]
    if any(not part for part in parts):
        raise ValueError(f"'...' must stand between two parts of the phrase: {pattern!r}")
    expression = ""
    for index, part in enumerate(parts):
        if index:
            expression += _gap(parts[index - 1], part)
        words = part.split()
        for position, word in enumerate(words):
            if position:
                expression += r"\s+" if not (is_cjk(words[position - 1][-1]) or is_cjk(word[0])) else r"\s*"
            expression += _word(word, pattern)
    starts = tuple(alternative.rstrip("*") for alternative in parts[0].split()[0].split("|"))
    requires = tuple(tuple(alternative.rstrip("*") for alternative in part.split()[0].split("|")) for part in parts[1:])
    return CompiledPattern(re.compile(expression), starts, requires)


def _word(word: str, pattern: str) -> str:
    alternatives = word.split("|")
    compiled = []
    for alternative in alternatives:
        if not alternative or not _WORD.match(alternative) or alternative == "*":
            raise ValueError(
                f"unsupported form {alternative or '(empty)'!r} in {pattern!r}: '*' only at the end of a word, "
                "'|' between non-empty words"
            )
        prefix = alternative.endswith("*")
        literal = alternative.rstrip("*")
        body = re.escape(literal)
        start = "" if is_cjk(literal[0]) or not literal[0].isalnum() else r"(?<![^\W_])"
        if prefix:
            end = r"[^\W_]*"
        elif is_cjk(literal[-1]) or not literal[-1].isalnum():
            end = ""
        else:
            end = r"(?![^\W_])"
        compiled.append(start + body + end)
    return "(?:" + "|".join(compiled) + ")"


def _gap(before: str, after: str) -> str:
    if is_cjk(before[-1]) or is_cjk(after[0]):
        return f"[^。！？；.!?]{{0,{GAP_CHARS}}}?"
    return rf"(?:\W+[^\W_]+){{0,{GAP_WORDS}}}?\W+"

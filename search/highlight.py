"""Highlighted snippets: the best window of an article's text around the query's words, HTML-escaped."""

from __future__ import annotations

import html

from tradewire.search.analysis import analyze, prefix_form, spans_of_words, word_spans
from tradewire.search.query.ast import Query, Text, positive_texts

MARK_OPEN, MARK_CLOSE = "<mark>", "</mark>"


def snippet(text: str, query: Query, *, length: int = 240, fields: tuple[str, ...] = ("text",)) -> str:
    """An HTML-safe excerpt of `text` with the query's words and phrases in <mark>; the opening when nothing matches."""
    leaves = [leaf for leaf in positive_texts(query) if leaf.field is None or leaf.field in fields]
    spans = _matched_spans(text, leaves) if leaves else []
    if not spans:
        return html.escape(_clip(text, 0, length))
    start = _best_window(spans, length)
    # Some context before the first match, and no shorter a window than the text allows.
    window_start = max(0, min(start - length // 6, len(text) - length))
    while window_start > 0 and not text[window_start - 1].isspace():
        window_start -= 1
    window_end = min(len(text), window_start + length)
    while window_end < len(text) and not text[window_end].isspace():
        window_end += 1
    pieces: list[str] = ["\u2026" if window_start > 0 else ""]
    cursor = window_start
    for span_start, span_end in spans:
        if span_start < window_start or span_end > window_end:
            continue
        pieces += [html.escape(text[cursor:span_start]), MARK_OPEN, html.escape(text[span_start:span_end]), MARK_CLOSE]
        cursor = span_end
    pieces.append(html.escape(text[cursor:window_end]))
    if window_end < len(text):
        pieces.append("\u2026")
    return "".join(pieces).strip()


def _matched_spans(text: str, leaves: list[Text]) -> list[tuple[int, int]]:
    """The character spans of the leaves' words and phrases in `text`, overlapping ones merged."""
    if all(leaf.prefix or len(analyze(leaf.value)) <= 1 for leaf in leaves):
        spans = _word_spans(text, leaves)
    else:
        spans = _phrase_spans(text, leaves)
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _word_spans(text: str, leaves: list[Text]) -> list[tuple[int, int]]:
    """The spans of single words and prefixes, found without analysing every word."""
    terms = {term for leaf in leaves if not leaf.prefix for term in analyze(leaf.value)}
    prefixes = tuple(prefix_form(leaf.value) for leaf in leaves if leaf.prefix)
    return spans_of_words(text, lambda term: term in terms or term.startswith(prefixes))


def _phrase_spans(text: str, leaves: list[Text]) -> list[tuple[int, int]]:
    """The spans of the leaves' words and phrases, sorted; where words stand is read only if any match."""
    terms = analyze(text)
    found: list[tuple[int, int]] = []  # first and last word of each match
    for leaf in leaves:
        if leaf.prefix:
            prefix = prefix_form(leaf.value)
            found += [(index, index) for index, term in enumerate(terms) if term.startswith(prefix)]
            continue
        wanted = analyze(leaf.value)
        if not wanted:
            continue
        size, first = len(wanted), wanted[0]
        found += [(index, index + size - 1) for index, term in enumerate(terms)  # a phrase is checked where its first term stands
                  if term == first and (size == 1 or terms[index : index + size] == wanted)]
    if not found:
        return []
    words = word_spans(text)
    return sorted((words[first][0], words[last][1]) for first, last in found)


def _best_window(spans: list[tuple[int, int]], length: int) -> int:
    best_start, best_count = spans[0][0], 0
    right = 0
    for left, (start, _) in enumerate(spans):
        right = max(right, left)
        while right < len(spans) and spans[right][1] - start <= length:
            right += 1
        if right - left > best_count:
            best_start, best_count = start, right - left
    return best_start


def _clip(text: str, start: int, length: int) -> str:
    clipped = text[start : start + length]
    return clipped + ("\u2026" if start + length < len(text) else "")

"""Highlighted snippets: the best window of an article's text around the query's words, HTML-escaped."""

from __future__ import annotations

import html

from search.analysis import Token, analyze, analyze_with_offsets, prefix_form
from search.query.ast import Query, positive_texts

MARK_OPEN, MARK_CLOSE = "<mark>", "</mark>"


def snippet(text: str, query: Query, *, length: int = 240, fields: tuple[str, ...] = ("text",)) -> str:
    """An HTML-safe excerpt of `text` with the query's words and phrases in <mark>; the opening when nothing matches."""
    tokens = analyze_with_offsets(text)
    spans = _matched_spans(tokens, query, fields)
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


def _matched_spans(tokens: list[Token], query: Query, fields: tuple[str, ...]) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for leaf in positive_texts(query):
        if leaf.field is not None and leaf.field not in fields:
            continue
        if leaf.prefix:
            prefix = prefix_form(leaf.value)
            spans += [(t.start, t.end) for t in tokens if t.term.startswith(prefix)]
            continue
        terms = analyze(leaf.value)
        if not terms:
            continue
        size, first = len(terms), terms[0]
        for index, token in enumerate(tokens):  # a phrase is checked only where its first term stands
            if token.term == first and (size == 1 or [t.term for t in tokens[index : index + size]] == terms):
                spans.append((token.start, tokens[index + size - 1].end))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


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

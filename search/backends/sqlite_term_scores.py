"""BM25 of a query's words and prefixes from stored term counts: the scores FTS5's bm25() gives, bit for bit,
for a whole match set at once.

bm25() scores one row at a time through FTS5's auxiliary-function API (docs/benchmarks.md has the cost of
both). Its inputs are few: per word, how often each
article holds it and in how many articles it stands; per article, its length in tokens; and the index's
row count and token total. The index keeps them: `term_counts` (a contentless FTS5 table whose tokens are
`term=count` for every term an article holds more than once; an article holding a term once is one of the
term's own matches) and `article_lengths`; the totals are FTS5's own. Scoring a match set is then a few
array operations over it, computed in bm25()'s order of operations (a test compares every score).

Phrases of more than one token, and words limited to a field, are left to bm25().
"""

from __future__ import annotations

import json
import math
import threading
from collections.abc import Callable, Sequence

import apsw
import numpy as np
from pyroaring import AbstractBitMap, BitMap

from tradewire.search.backends.sqlite_generation import current_generation
from tradewire.search.backends.sqlite_rank import Score
from tradewire.search.backends.sqlite_term_counts import TOKENIZER_ARGUMENTS, TOKENIZER_NAME
from tradewire.search.query.sqlite import RankedWord

MOST_PREFIX_TERMS = 32  # a prefix matching more terms is scored by bm25(): each term costs a lookup here
_K1, _B = 1.2, 0.75  # bm25()'s parameters
_AVERAGES_RECORD = 1  # rowid of FTS5's record of the row count and each column's token total (fts5_index.c)

Lookup = Callable[[str], AbstractBitMap]  # an FTS5 expression -> the rowids it matches


class TermScores:
    """Scores match sets from the term counts; holds the article lengths of one index file, for every thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._generation = 0
        self._lengths = np.zeros(0)

    def best(
        self, connection: apsw.Connection, words: Sequence[RankedWord], matches: AbstractBitMap, lookup: Lookup,
        limit: int, every_match_holds_every_word: bool,
    ) -> tuple[list[Score], AbstractBitMap] | None:
        """The `limit` best (rowid, bm25) among `matches` for `words` (the rank expression's phrases, in its
        order), with the scores tied at the cut, and the matches holding any of the words; None when these
        words are left to bm25(). Call it inside the read transaction that found `matches`."""
        if not matches:
            return [], BitMap()
        tokenize = connection.fts5_tokenizer(TOKENIZER_NAME, TOKENIZER_ARGUMENTS)
        if any(_tokens(tokenize, word.form) != [word.form] for word in words):
            return None
        terms_of: dict[RankedWord, list[str]] = {}
        for word in words:
            terms = self._terms(connection, word)
            if terms is None:
                return None
            terms_of[word] = terms
        rows = np.frombuffer(matches.to_array(), dtype=np.uint32)
        row_count, token_total = _totals(connection)
        lengths = self._lengths_of(connection)[rows]
        average_length = token_total / row_count
        score = np.zeros(len(rows))
        scored: AbstractBitMap = matches if every_match_holds_every_word else BitMap()
        for word in words:
            terms = terms_of[word]
            frequency = np.zeros(len(rows))
            for term in terms:
                if every_match_holds_every_word and len(terms) == 1:
                    frequency += 1
                else:
                    frequency[_positions(rows, lookup(_expression(term)) & matches)] += 1
                for count, holding in _repeats(connection, term):
                    frequency[_positions(rows, holding & matches)] += count - 1
            if not every_match_holds_every_word:
                scored = scored | (lookup(word.expression) & matches)
            in_articles = _document_frequency(connection, word, terms, lookup)
            idf = math.log((row_count - in_articles + 0.5) / (in_articles + 0.5))
            if idf <= 0.0:
                idf = 1e-6
            score += idf * ((frequency * (_K1 + 1.0)) / (frequency + _K1 * (1 - _B + _B * lengths / average_length)))
        return _best(rows, -1.0 * score, limit, scored, matches), scored

    def _terms(self, connection: apsw.Connection, word: RankedWord) -> list[str] | None:
        if not word.prefix:
            return [word.form]
        terms = [term for (term,) in connection.execute(
            "SELECT term FROM article_terms WHERE term >= ? AND term < ? LIMIT ?",
            (word.form, word.form + "\U0010ffff", MOST_PREFIX_TERMS + 1),
        )]
        return terms if len(terms) <= MOST_PREFIX_TERMS else None

    def _lengths_of(self, connection: apsw.Connection) -> np.ndarray:
        """Every article's length in tokens, by rowid; loads only the lengths written since the generation held.
        An array is never changed once handed out: a search in another thread may be reading it."""
        with self._lock:
            generation = current_generation(connection)
            if generation < self._generation:  # the file was replaced: start over
                self._generation, self._lengths = 0, np.zeros(0)
            if generation > self._generation:
                rowids, lengths = connection.execute(
                    "SELECT json_group_array(rowid), json_group_array(length) FROM article_lengths WHERE generation > ?",
                    (self._generation,),
                ).fetchone()
                rowids, lengths = np.array(json.loads(rowids), dtype=np.int64), np.array(json.loads(lengths), dtype=float)
                size = max(len(self._lengths), int(rowids.max()) + 1 if len(rowids) else 0)
                updated = np.zeros(size)
                updated[: len(self._lengths)] = self._lengths
                updated[rowids] = lengths
                self._generation, self._lengths = generation, updated
            return self._lengths


def _tokens(tokenize: apsw.FTS5Tokenizer, text: str) -> list[str]:
    return [token[0] for token in tokenize(text.encode(), apsw.FTS5_TOKENIZE_QUERY, None, include_offsets=False)]


def _expression(term: str) -> str:
    return f'"{term}"'


def _positions(rows: np.ndarray, subset: AbstractBitMap) -> np.ndarray:
    """The indexes in `rows` (sorted rowids) of the rowids of `subset`, all of which are in `rows`."""
    return np.searchsorted(rows, np.frombuffer(subset.to_array(), dtype=np.uint32))


def _repeats(connection: apsw.Connection, term: str) -> list[tuple[int, BitMap]]:
    """(count, rowids of the articles holding `term` that many times) for every count above one."""
    return [
        (int(token.rpartition("=")[2]), BitMap(json.loads(rowids)))
        for token, rowids in connection.execute(
            "SELECT term, json_group_array(doc) FROM term_count_postings WHERE term >= ? AND term < ? GROUP BY term",
            (term + "=", term + ">"),  # '>' follows '=': exactly the tokens of this term
        )
    ]


def _document_frequency(connection: apsw.Connection, word: RankedWord, terms: list[str], lookup: Lookup) -> int:
    """In how many articles the word (or any term of the prefix) stands: bm25()'s count of the phrase's rows."""
    if len(terms) != 1:
        return len(lookup(word.expression))
    row = connection.execute("SELECT doc FROM article_terms WHERE term = ?", (terms[0],)).fetchone()
    return row[0] if row else 0


def _totals(connection: apsw.Connection) -> tuple[int, int]:
    """FTS5's row count and token total (all columns), from the record bm25() reads them from: varints, the
    row count first and then each column's total."""
    row = connection.execute("SELECT block FROM articles_fts_data WHERE id = ?", (_AVERAGES_RECORD,)).fetchone()
    values, position, block = [], 0, row[0] if row else b""
    while position < len(block):
        value, position = _varint(block, position)
        values.append(value)
    return (values[0], sum(values[1:])) if values else (0, 0)


def _varint(block: bytes, position: int) -> tuple[int, int]:
    """SQLite's variable-length integer at `position`: 7 bits a byte, high bit set on all but the last, and a
    ninth byte of 8 bits."""
    value = 0
    for index in range(8):
        byte = block[position + index]
        value = (value << 7) | (byte & 0x7F)
        if not byte & 0x80:
            return value, position + index + 1
    return (value << 8) | block[position + 8], position + 9


def _best(rows: np.ndarray, scores: np.ndarray, limit: int, scored: AbstractBitMap, matches: AbstractBitMap) -> list[Score]:
    """The `limit` lowest scores among the scored rows, with any more tied with the last of them."""
    candidates = np.arange(len(rows)) if len(scored) == len(matches) else _positions(rows, scored)
    if limit <= 0 or not len(candidates):
        return []
    values = scores[candidates]
    if len(values) > limit:
        cutoff = np.partition(values, limit - 1)[limit - 1]
        candidates = candidates[values <= cutoff]
    ordered = candidates[np.argsort(scores[candidates], kind="stable")]
    return [(int(rows[index]), float(scores[index])) for index in ordered]

"""BM25 from the embedded index's term counts must be FTS5's own bm25(), score for score: the oracle below is
bm25() read through SQL on the same file, after writes, updates, deletes and an upgrade."""

from __future__ import annotations

import random
import re
import sqlite3
from dataclasses import replace
from pathlib import Path

import apsw
import pytest
from pyroaring import BitMap

from tests.search.test_backend_contract import DOCUMENTS
from tradewire.core.article import Article
from tradewire.search.backends.sqlite import SqliteBackend
from tradewire.search.backends.sqlite_term_scores import TermScores
from tradewire.search.query import parse_query
from tradewire.search.query.sqlite import (
    TEXT_MATCHES,
    every_match_scored,
    matching,
    only_words,
    rank_expression,
    ranked_words,
)
from tradewire.search.results import SearchRequest

DEMO_ARTICLES = Path(__file__).resolve().parents[2] / "ingest" / "demo" / "articles"
BY_COUNTS = ["sanctions", "export license", "licence OR license", "chinese AND tag:export_controls",
             "sanctions OR tag:tariffs", "commerce OR china", "com* AND entity:CN", "com*", "trade AND NOT sanctions",
             "rare earth"]
BY_BM25 = ['"anti-dumping duties"', "title:sanctions", "anti-dumping", '"entity list" AND china']


def sentences() -> list[str]:
    stories = [path.read_text(encoding="utf-8") for path in sorted(DEMO_ARTICLES.glob("*.txt"))]
    text = " ".join([*stories, *(doc.text for doc in DOCUMENTS)])
    return [sentence for sentence in re.split(r"(?<=[.!?])\s+", text) if len(sentence) > 20]


def articles(count: int, seed: int, prefix: str = "a") -> list[Article]:
    """Articles of 1 to 40 sentences drawn with repeats, so that words stand in them 1 to dozens of times."""
    rng, pool = random.Random(seed), sentences()
    base = DOCUMENTS * (count // len(DOCUMENTS) + 1)
    return [
        base[number].model_copy(update={
            "id": f"{prefix}-{number}", "title": rng.choice(pool)[:80],
            "text": " ".join(rng.choice(pool) for _ in range(rng.randint(1, 40))),
        })
        for number in range(count)
    ]


def bm25_of_every_match(connection: apsw.Connection, query: str) -> tuple[dict[int, float], BitMap]:
    """The oracle: bm25() of each match of `query` that has a score, and the matches."""
    parsed = parse_query(query)
    expression = rank_expression(parsed)
    assert expression is not None

    def lookup(sql: str, params: list[object]) -> BitMap:
        return BitMap(rowid for (rowid,) in connection.execute(sql, params))

    found = matching(parsed, lookup, lambda: lookup("SELECT rowid FROM articles", []))
    scores = dict(connection.execute(
        "SELECT rowid, bm25(articles_fts) FROM articles_fts WHERE articles_fts MATCH ?", [expression]
    ).fetchall())
    return {rowid: score for rowid, score in scores.items() if rowid in found}, found


def term_scores(scores: TermScores, connection: apsw.Connection, query: str, limit: int):  # type: ignore[no-untyped-def]
    parsed = parse_query(query)
    words = ranked_words(parsed)
    assert words is not None, query

    def lookup(sql: str, params: list[object]) -> BitMap:
        return BitMap(rowid for (rowid,) in connection.execute(sql, params))

    found = matching(parsed, lookup, lambda: lookup("SELECT rowid FROM articles", []))
    every_word = every_match_scored(parsed) or (only_words(parsed) and len(words) == 1)
    return scores.best(connection, words, found, lambda expression: lookup(TEXT_MATCHES, [expression]), limit, every_word)


def assert_scores_are_bm25(path: Path, scores: TermScores) -> None:
    connection = apsw.Connection(str(path))
    connection.execute("BEGIN")
    try:
        for query in BY_COUNTS:
            expected, found = bm25_of_every_match(connection, query)
            assert len(expected) >= 10, query  # the corpus gives each query a real match set
            result = term_scores(scores, connection, query, len(found))
            assert result is not None, query
            best, scored = result
            assert set(scored) == set(expected), query
            assert dict(best) == expected, query  # every score, exactly
            assert [score for _, score in best] == sorted(expected.values()), query
            for limit in (1, 10):
                cut = sorted(expected.values())[limit - 1]
                page, _ = term_scores(scores, connection, query, limit)
                assert sorted(page) == sorted((rowid, score) for rowid, score in expected.items() if score <= cut), query
        for query in BY_BM25:
            assert ranked_words(parse_query(query)) is None, query
    finally:
        connection.execute("COMMIT")
        connection.close()


def test_scores_from_term_counts_are_bm25_after_writes_updates_and_deletes(tmp_path: Path) -> None:
    path = tmp_path / "index.db"
    backend, scores = SqliteBackend(path), TermScores()
    backend.ensure_ready()
    for start in range(0, 600, 200):
        backend.index(articles(200, seed=start, prefix=f"a{start}"))
    assert_scores_are_bm25(path, scores)
    # Rewritten articles change length and counts; the last article's rowid is freed and taken again.
    last = articles(600, seed=400, prefix="a400")[199]
    backend.delete([last.id])
    backend.index([last.model_copy(update={"text": " ".join([last.text] * 6)})])
    backend.index([article.model_copy(update={"text": article.title}) for article in articles(200, seed=0, prefix="a0")[:80]])
    backend.delete([article.id for article in articles(200, seed=200, prefix="a200")[:50]])
    assert_scores_are_bm25(path, scores)  # the same holder of lengths, caught up
    assert_scores_are_bm25(path, TermScores())
    backend.reindex()
    assert_scores_are_bm25(path, scores)
    backend.close()


def test_searches_rank_words_by_counts_and_phrases_by_bm25_alike(tmp_path: Path) -> None:
    """Through the backend: the page of a word query and of a phrase query carry bm25()'s scores, in its order."""
    path = tmp_path / "index.db"
    backend = SqliteBackend(path)
    backend.index(articles(300, seed=7))
    oracle = apsw.Connection(str(path))
    try:
        for query in ["sanctions", "expor* AND trade", '"rare earth"', "china OR commerce"]:
            expected, _ = bm25_of_every_match(oracle, query)
            ranked = sorted(expected.items(), key=lambda item: item[1])
            hits = backend.search(SearchRequest(query=parse_query(query), sort="relevance", size=10, facets=False)).hits
            assert [hit.score for hit in hits] == [round(-score, 4) for _, score in ranked[:10]], query
            assert {hit.article.id for hit in hits} <= {backend_id(oracle, rowid) for rowid, _ in ranked[:20]}
    finally:
        oracle.close()
        backend.close()


def backend_id(connection: apsw.Connection, rowid: int) -> str:
    return connection.execute("SELECT id FROM articles WHERE rowid = ?", (rowid,)).fetchone()[0]


def test_an_index_from_schema_3_gets_its_term_counts(tmp_path: Path) -> None:
    path = tmp_path / "index.db"
    first = SqliteBackend(path)
    first.index(articles(300, seed=3))
    first.close()
    with sqlite3.connect(path) as connection:  # what a schema-3 file looks like: no term counts or lengths
        connection.execute("DELETE FROM article_lengths")
        connection.execute("UPDATE meta SET value = '3' WHERE key = 'schema_version'")
    connection = apsw.Connection(str(path))
    connection.execute("INSERT INTO term_counts (term_counts) VALUES ('delete-all')")
    assert connection.execute("SELECT count(*) FROM term_count_postings").fetchone() == (0,)
    connection.close()
    upgraded = SqliteBackend(path)
    upgraded.ensure_ready()
    assert_scores_are_bm25(path, TermScores())
    upgraded.close()


@pytest.mark.parametrize("query", ["zzzunknown", "export* AND zzzunknown"])
def test_words_no_article_holds_find_nothing(tmp_path: Path, query: str) -> None:
    backend = SqliteBackend(tmp_path / "index.db")
    backend.index(articles(30, seed=1))
    result = backend.search(SearchRequest(query=parse_query(query), sort="relevance"))
    assert result.total == 0 and result.hits == []
    backend.close()


def test_a_backend_without_term_counts_gives_the_same_pages_from_bm25_alone(tmp_path: Path) -> None:
    """What a one-search command uses (`open_backend(short_lived=True)`): no lengths loaded, the same results."""
    path = tmp_path / "index.db"
    by_counts, by_bm25 = SqliteBackend(path), SqliteBackend(path, term_counts=False)
    by_counts.index(articles(400, seed=11))
    try:
        for query in [*BY_COUNTS, *BY_BM25]:
            request = SearchRequest(query=parse_query(query), sort="relevance", size=10)
            first = by_counts.search(request)
            assert first.total >= 10, query  # a page and a next page to compare
            assert by_bm25.search(request).to_json() == first.to_json(), query
            following = replace(request, cursor=first.next_cursor)
            assert by_bm25.search(following).to_json() == by_counts.search(following).to_json(), query
    finally:
        by_counts.close()
        by_bm25.close()

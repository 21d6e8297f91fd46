"""The embedded index beyond the shared contract: facet postings kept in step across connections and rebuilt
for older index files, relevance pages cut from the best scores."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import apsw
import pytest
from pyroaring import BitMap

from tests.search.test_backend_contract import DOCUMENTS
from tradewire.search.backends.sqlite import SCHEMA_VERSION, SqliteBackend
from tradewire.search.backends.sqlite_rank import BestScores
from tradewire.search.query import parse_query
from tradewire.search.query.sqlite import rank_expression
from tradewire.search.results import SearchRequest


def tag_counts(backend: SqliteBackend, query: str = "") -> dict[str, int]:
    facets = backend.search(SearchRequest(query=parse_query(query), size=0, facet_size=20)).facets
    return {bucket.value: bucket.count for bucket in facets["tags"]}


def test_a_reader_sees_facets_written_by_another_connection(tmp_path: Path) -> None:
    reader, writer = SqliteBackend(tmp_path / "index.db"), SqliteBackend(tmp_path / "index.db")
    reader.ensure_ready()
    assert tag_counts(reader) == {}
    writer.index(DOCUMENTS[:2])  # the two Entity List stories
    assert tag_counts(reader) == {"sanctions": 2, "export_controls": 2}
    writer.delete([DOCUMENTS[0].id])
    writer.index([DOCUMENTS[1].model_copy(update={"tags": []})])
    assert tag_counts(reader) == {}
    assert reader.search(SearchRequest(query=parse_query("tag:sanctions"))).total == 0


def test_an_index_from_schema_1_gets_its_facets_rebuilt(tmp_path: Path) -> None:
    path = tmp_path / "index.db"
    first = SqliteBackend(path)
    first.ensure_ready()
    first.index(DOCUMENTS)
    expected = tag_counts(first)
    first.close()
    with sqlite3.connect(path) as connection:  # what a schema-1 file looks like: no postings
        connection.execute("DROP TABLE facet_postings")
        connection.execute("DELETE FROM meta WHERE key = 'facets_generation'")
        connection.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    upgraded = SqliteBackend(path)
    upgraded.ensure_ready()
    assert tag_counts(upgraded) == expected
    assert expected["sanctions"] == 3  # listing, listing-copy, threat
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == (str(SCHEMA_VERSION),)


def test_an_index_from_schema_2_gains_the_posting_of_every_article(tmp_path: Path) -> None:
    """Schema 2 had no posting of every article: match-all and NOT found nothing until it is rebuilt."""
    upgraded = _opened_as_of(tmp_path / "index.db", 2, "DELETE FROM facet_postings WHERE field = 'article'")
    assert upgraded.search(SearchRequest(query=parse_query(""), size=0)).total == len(DOCUMENTS)
    assert upgraded.search(SearchRequest(query=parse_query("NOT tag:sanctions"), size=0)).total == len(DOCUMENTS) - 3


def test_an_index_from_schema_4_gains_the_kind_of_every_document(tmp_path: Path) -> None:
    """Before schema 5 every document was an article, with no kind key: kind:article and the kinds facet need one."""
    upgraded = _opened_as_of(tmp_path / "index.db", 4, "DELETE FROM article_keys WHERE field = 'kind'",
                             "DELETE FROM facet_postings WHERE field = 'kind'")
    assert upgraded.search(SearchRequest(query=parse_query("kind:article"), size=0)).total == len(DOCUMENTS)
    facets = upgraded.search(SearchRequest(query=parse_query(""), size=0)).facets
    assert [(bucket.value, bucket.count) for bucket in facets["kinds"]] == [("article", len(DOCUMENTS))]


def _opened_as_of(path: Path, version: int, *statements: str) -> SqliteBackend:
    """The contract's documents in an index file made to look like one of schema `version` (`statements` undo what
    came later), opened again."""
    first = SqliteBackend(path)
    first.ensure_ready()
    first.index(DOCUMENTS)
    first.close()
    with sqlite3.connect(path) as connection:
        for statement in statements:
            connection.execute(statement)
        connection.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(version),))
    upgraded = SqliteBackend(path)
    upgraded.ensure_ready()
    return upgraded


RANKED_QUERIES = ["sanctions", "rare earth", "entity list", "tariffs OR sanctions", "license AND NOT tag:sanctions",
                  "chinese OR tag:tariffs", "dump* AND entity:EU"]


def test_relevance_pages_walk_every_match_once_best_first(tmp_path: Path) -> None:
    """Pages are cut from the best scores only (ties and unscored matches newest first): walking them all
    must give every match once, scores never rising from one page to the next."""
    many = [doc.model_copy(update={"id": f"{doc.id}-{copy}"}) for copy in range(25) for doc in DOCUMENTS]
    backend = SqliteBackend(tmp_path / "index.db")
    backend.ensure_ready()
    backend.index(many)
    try:
        for query in RANKED_QUERIES:
            walked, cursor, total = [], None, None
            while True:
                result = backend.search(SearchRequest(query=parse_query(query), sort="relevance", size=7, facets=False,
                                                      cursor=cursor))
                total = result.total
                walked += [(hit.article.id, hit.score) for hit in result.hits]
                if not (cursor := result.next_cursor):
                    break
            assert total and len(walked) == total == len({article_id for article_id, _ in walked}), query
            scores = [score for _, score in walked if score is not None]
            assert scores and scores == sorted(scores, reverse=True), query
            assert all(score is None for _, score in walked[len(scores):]), query  # unscored matches come last
    finally:
        backend.close()


def test_spellings_with_one_analysed_form_are_scored_once(tmp_path: Path) -> None:
    expression = rank_expression(parse_query("licence OR license OR licences"))
    assert expression is not None and expression.count('"licens"') == 1, expression
    backend = SqliteBackend(tmp_path / "index.db")
    backend.index(DOCUMENTS)
    both, one = (backend.search(SearchRequest(query=parse_query(text))) for text in ("licence OR license", "license"))
    assert [hit.article.id for hit in both.hits] == [hit.article.id for hit in one.hits] and both.total == one.total > 0
    backend.close()


@pytest.mark.parametrize("limit", [1, 7, 40])
def test_best_scores_from_rowid_slices_are_those_of_every_score(tmp_path: Path, limit: int) -> None:
    """Slices scored on their own connections, merged: the best scores, and every copy tied at the cut,
    are those of reading all scores at once, with or without a filter."""
    many = [doc.model_copy(update={"id": f"{doc.id}-{copy}"}) for copy in range(25) for doc in DOCUMENTS]
    backend = SqliteBackend(tmp_path / "index.db")
    backend.index(many)
    backend.close()
    own = threading.local()

    def connect() -> apsw.Connection:
        if not hasattr(own, "connection"):
            own.connection = apsw.Connection(str(tmp_path / "index.db"))
        return own.connection

    whole, sliced = BestScores(connect, slices=1), BestScores(connect, slices=3, sliced_from=1)
    try:
        for query in RANKED_QUERIES:
            expression = rank_expression(parse_query(query))
            assert expression is not None
            every = connect().execute(
                "SELECT rowid, bm25(articles_fts) FROM articles_fts WHERE articles_fts MATCH ?", [expression]
            ).fetchall()
            matches = BitMap(rowid for rowid, _ in every)
            for within in (None, BitMap(rowid for rowid in matches if rowid % 3)):
                kept = sorted((row for row in every if within is None or row[0] in within), key=lambda row: row[1])
                cutoff = kept[min(limit, len(kept)) - 1][1] if kept else 0
                expected = sorted(row for row in kept if row[1] <= cutoff)
                assert sorted(whole.best(expression, limit, matches, within)) == expected, query
                assert sorted(sliced.best(expression, limit, matches, within)) == expected, query
    finally:
        sliced.close()


def test_words_joined_one_way_are_matched_by_their_rank_expression_and_mixed_joins_are_not(tmp_path: Path) -> None:
    backend = SqliteBackend(tmp_path / "index.db")
    backend.index(DOCUMENTS)

    def found(query: str) -> dict[str, float | None]:
        result = backend.search(SearchRequest(query=parse_query(query), sort="relevance", size=100, facets=False))
        assert result.total == len(result.hits)
        return {hit.article.id: hit.score for hit in result.hits}

    try:
        either, both = found("sanctions OR china"), found("commerce AND china")
        assert set(either) == set(found("sanctions")) | set(found("china")) > set(both)
        assert set(both) == set(found("commerce")) & set(found("china")) and both
        assert all(score is not None for score in [*either.values(), *both.values()])
        mixed = found("(sanctions OR china) AND commerce")
        assert set(mixed) == set(either) & set(found("commerce")) and set(mixed) < set(either)
    finally:
        backend.close()


def test_reading_an_index_of_the_current_schema_writes_nothing(tmp_path: Path) -> None:
    """`show` and `search` open the file without a write: nothing to commit, no WAL to checkpoint at close."""
    path = tmp_path / "index.db"
    writer = SqliteBackend(path)
    writer.index(DOCUMENTS)
    writer.close()
    before = path.stat().st_mtime_ns, path.read_bytes()
    reader = SqliteBackend(path)
    assert reader.get(DOCUMENTS[0].id) == DOCUMENTS[0]
    assert reader.search(SearchRequest(query=parse_query("sanctions"))).hits
    reader.close()
    assert (path.stat().st_mtime_ns, path.read_bytes()) == before

"""The embedded index's facet postings: kept in step across processes and rebuilt for older index files."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from search.backends.sqlite import SqliteBackend
from search.query import parse_query
from search.results import SearchRequest
from tests.search.test_backend_contract import DOCUMENTS


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
        assert connection.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == ("2",)

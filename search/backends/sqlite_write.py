"""The writing half of the embedded index (search.backends.sqlite): its schema and upgrades, and documents
written, deleted and re-analysed with everything derived from them (full text, keys, facet postings, term
counts). Imported at a backend's first write: a reader of a current index (`tradewire show`) needs none of it."""

from __future__ import annotations

from collections.abc import Sequence

import apsw

from tradewire.core.database import immediate
from tradewire.core.document import Document, document_from_json
from tradewire.search.analysis import index_form
from tradewire.search.backends import sqlite_facets, sqlite_term_counts
from tradewire.search.backends.base import IndexReport, ReindexProgress
from tradewire.search.backends.sqlite import SCHEMA_VERSION
from tradewire.search.backends.sqlite_facets import PostingChanges, facet_values
from tradewire.search.backends.sqlite_generation import next_generation
from tradewire.search.backends.sqlite_term_counts import delete_all_terms, delete_terms, rebuild_terms, store_terms
from tradewire.search.query.sqlite import sql_time

_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    published TEXT,
    fetched TEXT NOT NULL,
    document TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS articles_published ON articles (published);
CREATE INDEX IF NOT EXISTS articles_fetched ON articles (fetched);
CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5 (title, text, tokenize = '{sqlite_term_counts.TOKENIZER}');
CREATE TABLE IF NOT EXISTS article_keys (rowid INTEGER NOT NULL, field TEXT NOT NULL, value TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS article_keys_postings ON article_keys (field, value, rowid);
CREATE INDEX IF NOT EXISTS article_keys_row ON article_keys (rowid);
""" + sqlite_facets.SCHEMA + sqlite_term_counts.SCHEMA


def create_or_upgrade(connection: apsw.Connection) -> None:
    """The tables of SCHEMA_VERSION, created in a new file, or an older file's upgraded."""
    connection.execute(_SCHEMA)
    row = connection.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    if row is not None and int(row[0]) < SCHEMA_VERSION:
        _upgrade(connection, int(row[0]))
    connection.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))


def _upgrade(connection: apsw.Connection, version: int) -> None:
    with immediate(connection):
        generation = next_generation(connection)
        if version < 3:
            connection.execute("DELETE FROM article_keys WHERE field = 'entity_facet'")  # schema 1 counted facets here
            connection.execute("DROP INDEX IF EXISTS article_keys_lookup")  # replaced by article_keys_postings
            sqlite_facets.rebuild(connection, generation)
        if version < 4:
            rebuild_terms(connection, generation)
        if version < 5:  # every document before kinds was an article
            connection.execute("INSERT INTO article_keys (rowid, field, value) SELECT rowid, 'kind', 'article' FROM articles")
            sqlite_facets.copy_posting(connection, sqlite_facets.EVERY_DOCUMENT, ("kind", "article"), generation)


def index(connection: apsw.Connection, articles: Sequence[Document], documents: Sequence[str] | None) -> IndexReport:
    """Write `articles` (`documents`: their JSON when the caller has it), replacing those with the same ids."""
    report = IndexReport()
    changes = PostingChanges()
    with immediate(connection):
        generation = next_generation(connection)
        for article, document in zip(articles, documents or [None] * len(articles)):
            _delete_one(connection, article.id, changes)
            connection.execute(
                "INSERT INTO articles (id, published, fetched, document) VALUES (?, ?, ?, ?)",
                (
                    article.id,
                    sql_time(article.published) if article.published else None,
                    sql_time(article.fetched),
                    document or article.model_dump_json(),
                ),
            )
            rowid = connection.last_insert_rowid()
            _insert_derived(connection, rowid, article, generation)
            changes.add(rowid, facet_values(article))
            report.indexed.append(article.id)
        changes.write(connection, generation)
    return report


def delete(connection: apsw.Connection, ids: Sequence[str]) -> None:
    changes = PostingChanges()
    with immediate(connection):
        for article_id in ids:
            _delete_one(connection, article_id, changes)
        changes.write(connection, next_generation(connection))


def reindex(connection: apsw.Connection, progress: ReindexProgress) -> None:
    """Re-analyse every stored document in one transaction; readers see the old index until it commits."""
    with immediate(connection):
        generation = next_generation(connection)
        connection.execute("DELETE FROM articles_fts")
        connection.execute("DELETE FROM article_keys")
        delete_all_terms(connection)
        for rowid, document in connection.execute("SELECT rowid, document FROM articles").fetchall():
            _insert_derived(connection, rowid, document_from_json(document), generation)
            progress.step()
        sqlite_facets.rebuild(connection, generation)


def _insert_derived(connection: apsw.Connection, rowid: int, article: Document, generation: int) -> None:
    fields = (index_form(article.title), index_form(article.text))
    connection.execute("INSERT INTO articles_fts (rowid, title, text) VALUES (?, ?, ?)", (rowid, *fields))
    store_terms(connection, rowid, fields, generation)
    keys = [(rowid, field, value) for field, values in article.keywords().items() for value in values]
    connection.executemany("INSERT INTO article_keys (rowid, field, value) VALUES (?, ?, ?)", keys)


def _delete_one(connection: apsw.Connection, article_id: str, changes: PostingChanges) -> None:
    row = connection.execute("SELECT rowid, document FROM articles WHERE id = ?", (article_id,)).fetchone()
    if row is None:
        return
    rowid = row[0]
    changes.remove(rowid, facet_values(document_from_json(row[1])))
    connection.execute("DELETE FROM articles_fts WHERE rowid = ?", (rowid,))
    delete_terms(connection, rowid)
    connection.execute("DELETE FROM article_keys WHERE rowid = ?", (rowid,))
    connection.execute("DELETE FROM articles WHERE rowid = ?", (rowid,))

"""The embedded index: SQLite with FTS5 (BM25 ranking), the default when no Elasticsearch URL is set.
(About 300 lines: the one class the IndexBackend protocol asks for; facets, ranking, term counts and page
order are the sqlite_* modules beside it.)

It runs on apsw, which bundles a current SQLite rather than the system's (FTS5 ranks 40% faster in
3.54 than in Debian 12's 3.40, measured on the 100,000-article benchmark index).

Tables: `articles` (one row per article, the document as JSON), `articles_fts` (the analysed title
and text, see search.analysis), `article_keys` (one row per keyword value, for filters),
`facet_postings` (one rowid bitmap per facet value, see search.backends.sqlite_facets), and `term_counts`
with `article_lengths` (what BM25 reads, see search.backends.sqlite_term_scores).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import apsw
from pyroaring import BitMap

from tradewire.core.database import configure, immediate
from tradewire.core.document import Document, document_from_json
from tradewire.search.analysis import index_form
from tradewire.search.backends import sqlite_facets, sqlite_term_counts
from tradewire.search.backends.base import BackendError, IndexReport, ReindexProgress, ReindexReport
from tradewire.search.backends.sqlite_facets import FacetCache, PostingChanges, facet_values
from tradewire.search.backends.sqlite_generation import next_generation
from tradewire.search.backends.sqlite_order import newest, ranked
from tradewire.search.backends.sqlite_rank import BestScores, Score
from tradewire.search.backends.sqlite_term_counts import delete_all_terms, delete_terms, rebuild_terms, store_terms
from tradewire.search.query.ast import Query
from tradewire.search.query.sqlite import (
    TEXT_MATCHES,
    RowidLookup,
    every_match_scored,
    matching,
    only_words,
    rank_expression,
    ranked_words,
    sql_time,
)
from tradewire.search.results import SearchRequest, SearchResult, decode_cursor, encode_cursor, hit

if TYPE_CHECKING:
    from tradewire.search.backends.sqlite_term_scores import TermScores

SCHEMA_VERSION = 5  # 2: facet_postings; 3: a posting of every article, covering key index; 4: term counts; 5: kinds
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


class SqliteBackend:
    """With `term_counts` off, relevance is scored by FTS5's bm25() alone: the same scores, without numpy and
    every article's length loaded first (about 0.2 s, which only a process that searches again wins back)."""

    name = "sqlite"

    def __init__(self, path: Path, *, term_counts: bool = True) -> None:
        self.path = path
        self._term_counts = term_counts
        self._local = threading.local()
        self._facets = FacetCache()
        self._best_scores = BestScores(self._connection)
        self._term_scores: TermScores | None = None  # made at the first ranked search: it needs numpy
        self._opened: list[apsw.Connection] = []
        self._opened_lock = threading.Lock()
        self._prepared = False

    def _connection(self) -> apsw.Connection:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                connection = apsw.Connection(str(self.path))
                configure(connection, durable=False)
            except (apsw.Error, OSError) as error:
                raise BackendError(f"cannot open the embedded index {self.path}: {error}") from error
            self._local.connection = connection
            with self._opened_lock:
                self._opened.append(connection)
                prepared, self._prepared = self._prepared, True
            if not prepared:  # a reader of a new data directory finds an empty index, not "no such table"
                self._prepare(connection)
        return connection

    def ensure_ready(self) -> None:
        self._connection()

    def _prepare(self, connection: apsw.Connection) -> None:
        try:
            if _schema_version(connection) == SCHEMA_VERSION:
                return  # nothing to write: a reader's `show` commits nothing, and leaves no WAL to checkpoint at close
            connection.execute(_SCHEMA)
            row = connection.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
            if row is not None and int(row[0]) < SCHEMA_VERSION:
                self._upgrade(connection, int(row[0]))
            connection.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),)
            )
        except apsw.Error as error:
            raise BackendError(f"cannot create the embedded index in {self.path}: {error}") from error

    @staticmethod
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

    def index(self, articles: Sequence[Document], documents: Sequence[str] | None = None) -> IndexReport:
        report = IndexReport()
        connection = self._connection()
        changes = PostingChanges()
        try:
            with immediate(connection):
                generation = next_generation(connection)
                for article, document in zip(articles, documents or [None] * len(articles)):
                    self._delete_one(connection, article.id, changes)
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
                    self._insert_derived(connection, rowid, article, generation)
                    changes.add(rowid, facet_values(article))
                    report.indexed.append(article.id)
                changes.write(connection, generation)
        except apsw.Error as error:
            raise BackendError(f"writing to the embedded index {self.path} failed: {error}") from error
        return report

    @staticmethod
    def _insert_derived(connection: apsw.Connection, rowid: int, article: Document, generation: int) -> None:
        fields = (index_form(article.title), index_form(article.text))
        connection.execute("INSERT INTO articles_fts (rowid, title, text) VALUES (?, ?, ?)", (rowid, *fields))
        store_terms(connection, rowid, fields, generation)
        keys = [(rowid, field, value) for field, values in article.keywords().items() for value in values]
        connection.executemany("INSERT INTO article_keys (rowid, field, value) VALUES (?, ?, ?)", keys)

    def delete(self, ids: Sequence[str]) -> None:
        connection = self._connection()
        changes = PostingChanges()
        try:
            with immediate(connection):
                for article_id in ids:
                    self._delete_one(connection, article_id, changes)
                changes.write(connection, next_generation(connection))
        except apsw.Error as error:
            raise BackendError(f"deleting from the embedded index {self.path} failed: {error}") from error

    def refresh(self) -> None:
        """Writes are visible once committed."""

    @staticmethod
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

    def get(self, article_id: str) -> Document | None:
        with self._reading():
            row = self._connection().execute("SELECT document FROM articles WHERE id = ?", (article_id,)).fetchone()
        return document_from_json(row[0]) if row else None

    def count(self) -> int:
        with self._reading():
            return self._connection().execute("SELECT count(*) FROM articles").fetchone()[0]

    @contextmanager
    def _reading(self) -> Iterator[None]:
        try:
            yield
        except apsw.Error as error:
            raise BackendError(f"reading the embedded index {self.path} failed: {error}") from error

    def search(self, request: SearchRequest) -> SearchResult:
        with self._reading():
            connection = self._connection()
            connection.execute("BEGIN")  # one snapshot for the count, the page and the facets
            try:
                return self._search(connection, request)
            finally:
                connection.execute("COMMIT")

    def _search(self, connection: apsw.Connection, request: SearchRequest) -> SearchResult:
        query = request.query
        offset = decode_cursor(request.cursor, {"offset": int})["offset"] if request.cursor else 0
        everything = self._facets.everything(connection)

        looked_up: dict[tuple[str, tuple[object, ...]], BitMap] = {}

        def lookup(sql: str, params: Sequence[object]) -> BitMap:
            key = (sql, tuple(params))
            if key not in looked_up:  # one JSON array from SQLite parses faster than a Python row per rowid
                looked_up[key] = BitMap(json.loads(
                    connection.execute(f"SELECT json_group_array(rowid) FROM ({sql})", params).fetchone()[0]
                ))
            return looked_up[key]

        rank = rank_expression(query) if request.sort == "relevance" else None
        words_only = rank is not None and only_words(query)  # then the matches are the rank expression's
        if words_only:
            found = lookup(TEXT_MATCHES, [rank])
        else:
            found = matching(query, lookup, lambda: everything)
        days = self._facets.days_newest_first(connection)
        if rank:
            best, unscored = self._best(connection, query, rank, found, offset + request.size, words_only, lookup)
            page = ranked(
                connection, [score for score in best if score[0] in found], len(found) - len(unscored), len(found),
                lambda: unscored, offset, request.size, days,
            )
        else:
            page = [(rowid, None) for rowid in newest(connection, found, offset, request.size, days)]
        documents = dict(connection.execute(
            "SELECT rowid, document FROM articles WHERE rowid IN (SELECT value FROM json_each(?))",
            [json.dumps([rowid for rowid, _ in page])],
        ))
        hits = [hit(document_from_json(documents[rowid]), score, request) for rowid, score in page]
        total = len(found)
        next_offset = offset + len(hits)
        next_cursor = encode_cursor({"offset": next_offset}) if next_offset < total and hits else None
        facets = self._facets.count(connection, found, request.facet_size) if request.facets else {}
        return SearchResult(total=total, hits=hits, facets=facets, next_cursor=next_cursor)

    def _best(
        self, connection: apsw.Connection, query: Query, rank: str, found: BitMap, limit: int, words_only: bool,
        lookup: RowidLookup,
    ) -> tuple[list[Score], BitMap]:
        """The best scores among the matches (with ties at the cut), and the matches without a score: from the
        term counts when the query's words allow, else from FTS5's bm25()."""
        words = ranked_words(query) if self._term_counts else None
        if words:
            every_word = every_match_scored(query) or (words_only and len(words) == 1)
            if self._term_scores is None:
                from tradewire.search.backends.sqlite_term_scores import TermScores

                self._term_scores = TermScores()
            by_counts = self._term_scores.best(
                connection, words, found, lambda expression: lookup(TEXT_MATCHES, [expression]), limit, every_word
            )
            if by_counts is not None:
                best, scored = by_counts
                return best, found - scored
        best = self._best_scores.best(rank, limit, found, None if words_only else found)
        unscored = BitMap() if words_only or every_match_scored(query) else found - lookup(TEXT_MATCHES, [rank])
        return best, unscored

    def health(self) -> str:
        self.count()  # BackendError when the file cannot be read
        return "green"

    def status(self) -> dict[str, Any]:
        return {"backend": self.name, "path": str(self.path), "documents": self.count()}

    def reindex(self, on_progress: Callable[[int], None] | None = None) -> ReindexReport:
        """Re-analyse every stored document in one transaction; readers see the old index until it commits."""
        connection = self._connection()
        progress = ReindexProgress(on_progress)
        try:
            with immediate(connection):
                generation = next_generation(connection)
                connection.execute("DELETE FROM articles_fts")
                connection.execute("DELETE FROM article_keys")
                delete_all_terms(connection)
                for rowid, document in connection.execute("SELECT rowid, document FROM articles").fetchall():
                    self._insert_derived(connection, rowid, document_from_json(document), generation)
                    progress.step()
                sqlite_facets.rebuild(connection, generation)
        except apsw.Error as error:
            raise BackendError(f"rebuilding the embedded index {self.path} failed: {error}") from error
        return ReindexReport(str(self.path), str(self.path), progress.done)

    def close(self) -> None:
        self._best_scores.close()
        with self._opened_lock:
            for connection in self._opened:
                connection.close()
            self._opened.clear()
        self._local = threading.local()


def _schema_version(connection: apsw.Connection) -> int | None:
    """The schema version the file was written with; None for a new file."""
    try:
        row = connection.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    except apsw.SQLError:  # no meta table yet
        return None
    return int(row[0]) if row else None

"""The stored term counts of the embedded index, written with each article: for every article the terms it
holds more than once (`term_counts`) and its length in tokens (`article_lengths`), tokenised exactly as
`articles_fts`. search.backends.sqlite_term_scores scores BM25 from them.
"""

from __future__ import annotations

from collections.abc import Sequence

import apsw

TOKENIZER = "unicode61 remove_diacritics 0"  # the tokenizer of `articles_fts`, which these counts must follow
SCHEMA = f"""
CREATE VIRTUAL TABLE IF NOT EXISTS term_counts USING fts5 (
    counts, content = '', contentless_delete = 1, detail = none, tokenize = "{TOKENIZER} tokenchars '='"
);
CREATE VIRTUAL TABLE IF NOT EXISTS term_count_postings USING fts5vocab (term_counts, instance);
CREATE VIRTUAL TABLE IF NOT EXISTS article_terms USING fts5vocab (articles_fts, row);
CREATE TABLE IF NOT EXISTS article_lengths (
    rowid INTEGER PRIMARY KEY, length INTEGER NOT NULL, generation INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS article_lengths_generation ON article_lengths (generation);
"""
TOKENIZER_NAME, *TOKENIZER_ARGUMENTS = TOKENIZER.split()


def store_terms(connection: apsw.Connection, rowid: int, fields: Sequence[str], generation: int) -> None:
    """Record the repeated terms and the length of an article whose `fields` were just put in `articles_fts`."""
    tokenize = connection.fts5_tokenizer(TOKENIZER_NAME, TOKENIZER_ARGUMENTS)
    counts: dict[str, int] = {}
    for field in fields:
        for token in tokenize(field.encode(), apsw.FTS5_TOKENIZE_DOCUMENT, None, include_offsets=False):
            counts[token[0]] = counts.get(token[0], 0) + 1
    repeated = " ".join(f"{term}={count}" for term, count in counts.items() if count > 1)
    connection.execute("INSERT INTO term_counts (rowid, counts) VALUES (?, ?)", (rowid, repeated))
    connection.execute(
        "INSERT OR REPLACE INTO article_lengths (rowid, length, generation) VALUES (?, ?, ?)",
        (rowid, sum(counts.values()), generation),
    )


def delete_terms(connection: apsw.Connection, rowid: int) -> None:
    connection.execute("DELETE FROM term_counts WHERE rowid = ?", (rowid,))
    connection.execute("DELETE FROM article_lengths WHERE rowid = ?", (rowid,))


def delete_all_terms(connection: apsw.Connection) -> None:
    connection.execute("INSERT INTO term_counts (term_counts) VALUES ('delete-all')")
    connection.execute("DELETE FROM article_lengths")


def rebuild_terms(connection: apsw.Connection, generation: int) -> None:
    """Record the terms of every article from `articles_fts` (an index file from before these tables)."""
    delete_all_terms(connection)
    # Streamed, not fetched at once: the text of every article would be held in memory at start-up.
    for rowid, title, text in connection.execute("SELECT rowid, title, text FROM articles_fts"):
        store_terms(connection, rowid, (title or "", text or ""), generation)

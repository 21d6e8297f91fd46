"""The write generation of the embedded index: every write transaction takes the next one and stamps what it
changed with it, so that a cache holding generation g loads only what was stamped after g."""

from __future__ import annotations

import apsw

_KEY = "facets_generation"  # named for its first user; kept so that existing index files keep their generation


def next_generation(connection: apsw.Connection) -> int:
    """The generation of the caller's write transaction (call it inside the transaction)."""
    generation = current_generation(connection) + 1
    connection.execute(
        "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (_KEY, str(generation)),
    )
    return generation


def current_generation(connection: apsw.Connection) -> int:
    row = connection.execute("SELECT value FROM meta WHERE key = ?", (_KEY,)).fetchone()
    return int(row[0]) if row else 0

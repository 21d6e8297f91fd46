"""One way to open a SQLite database under the data directory and run a transaction in it.

WAL, so readers never wait for the writer; a 30 s busy timeout, so two processes (`serve` and a CLI command)
queue for the lock rather than fail; IMMEDIATE transactions, so a writer holds the lock before it reads what it
is about to change. The same choices serve the standard library's sqlite3 (state, alert outbox) and apsw (the
embedded index).
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol

BUSY_TIMEOUT_MS = 30_000


class _Connection(Protocol):
    @property
    def in_transaction(self) -> bool: ...

    def execute(self, sql: str, params: Any = ..., /) -> Any: ...


def configure(connection: _Connection, *, durable: bool) -> None:
    """The pragmas of every tradewire database: `durable` syncs every commit (the alert outbox: an alert once
    recorded survives a power cut), otherwise a commit is synced at checkpoints (state and index can be rebuilt)."""
    connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute(f"PRAGMA synchronous = {'FULL' if durable else 'NORMAL'}")


@contextmanager
def immediate(connection: _Connection) -> Iterator[None]:
    """BEGIN IMMEDIATE ... COMMIT; on any exception nothing is written and the exception goes on."""
    connection.execute("BEGIN IMMEDIATE")
    try:
        yield
        connection.execute("COMMIT")
    except BaseException:
        # SQLite has already rolled back after some errors (SQLITE_FULL, for one).
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        raise


class Database:
    """A sqlite3 connection with tradewire's pragmas whose failures are one error type, named after the store.

    `error` is raised with `what` ("the state database", "the alert outbox") and the path, so a full disk or a
    read-only directory reads as what it is.
    """

    def __init__(
        self, path: Path, *, schema: str, error: type[Exception], what: str, durable: bool = False,
        upgrade: Callable[[sqlite3.Connection], None] | None = None,
    ) -> None:
        self.path = path
        self._error = error
        self._what = what
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
            configure(self._db, durable=durable)
            self._db.executescript(schema)
            if upgrade is not None:
                upgrade(self._db)
        except (sqlite3.Error, OSError) as failure:
            hint = "" if os.access(path.parent, os.W_OK) else f" (the data directory {path.parent} is not writable: read-only?)"
            raise error(f"cannot open {what} {path}: {failure}{hint}") from failure

    def close(self) -> None:
        self._db.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One IMMEDIATE transaction; a SQLite failure (disk full, read-only) is the store's error, nothing half-written."""
        try:
            with immediate(self._db):
                yield self._db
        except sqlite3.Error as failure:
            raise self._error(f"cannot write {self._what} {self.path}: {failure}") from failure

    def write(self, sql: str, params: Iterable[object] = ()) -> int:
        """One statement in its own transaction; returns the number of rows it changed."""
        with self.transaction() as db:
            return db.execute(sql, tuple(params)).rowcount

    def rows(self, sql: str, params: Iterable[object] = ()) -> list[Any]:
        with self._reading():
            return self._db.execute(sql, tuple(params)).fetchall()

    def row(self, sql: str, params: Iterable[object] = ()) -> Any:
        with self._reading():
            return self._db.execute(sql, tuple(params)).fetchone()

    @contextmanager
    def _reading(self) -> Iterator[None]:
        """A read can fail too (a full disk leaves no room for SQLite's temporary files): the store's error, said
        in one line, rather than a traceback from wherever the read was."""
        try:
            yield
        except sqlite3.Error as failure:
            raise self._error(f"cannot read {self._what} {self.path}: {failure}") from failure

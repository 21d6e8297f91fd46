"""Per sanctions list: conditional-GET validators, the last refresh's outcome and error, the entries in force,
and the designation events (listed, delisted, amended) each applied version brought.

A new version replaces the stored entries in one transaction that also records its events and queues each
event's designation document for the index (the spool, which the index writer drains like articles), so the
entries in force, the events and what the index will hold always agree; a version refused as broken writes
nothing but its outcome.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from tradewire.core.clock import iso, moment, now_utc
from tradewire.core.database import Database
from tradewire.core.designation import Designation, designation_id
from tradewire.enrich.screening.entries import ListEntry
from tradewire.ingest.state.spool import queue_in

SCHEMA = """
CREATE TABLE IF NOT EXISTS list_state (
    name TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    etag TEXT,
    last_modified TEXT,
    last_refresh_at TEXT,
    last_applied_at TEXT,
    last_outcome TEXT,
    last_error TEXT,
    entry_count INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS list_entries (
    list TEXT NOT NULL,
    entry_id TEXT NOT NULL,
    entry TEXT NOT NULL,  -- entry_json(): the ListEntry without its list and id
    PRIMARY KEY (list, entry_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS designations (
    id INTEGER PRIMARY KEY,
    list TEXT NOT NULL,
    entry_id TEXT NOT NULL,
    event TEXT NOT NULL CHECK (event IN ('listed', 'delisted', 'amended')),
    at TEXT NOT NULL,
    entry TEXT NOT NULL,  -- as listed or amended; for a delisting, as it stood before
    handed_over INTEGER NOT NULL DEFAULT 0  -- 1 once given to the alert rules (ingest.lists.refresh)
);
CREATE INDEX IF NOT EXISTS designations_at ON designations (at);
CREATE INDEX IF NOT EXISTS designations_entry ON designations (list, entry_id);
-- Set when a version changed the entries in force, until articles are screened again (ingest.lists.rescreen).
CREATE TABLE IF NOT EXISTS rescreen_due (id INTEGER PRIMARY KEY CHECK (id = 1), changed_at TEXT NOT NULL);
"""

Event = Literal["listed", "delisted", "amended"]
Outcome = Literal["baseline", "applied", "not-modified", "refused", "failed"]


@dataclass(frozen=True, slots=True)
class ListState:
    name: str
    url: str
    etag: str | None
    last_modified: str | None
    last_refresh_at: datetime | None
    last_applied_at: datetime | None
    last_outcome: str | None
    last_error: str | None
    entry_count: int


@dataclass(frozen=True, slots=True)
class DesignationEvent:
    event: Event
    at: datetime
    entry: ListEntry
    # The entry's events before this one: a listing, delisting and listing again of one entry are 0, 1 and 2.
    sequence: int = 0

    def document(self) -> Designation:
        """The event as the index holds it."""
        entry = self.entry
        return Designation(
            id=designation_id(entry.list_name, entry.entry_id, self.sequence), event=self.event,
            list=entry.list_name, entry_id=entry.entry_id, entry_kind=entry.kind, names=list(entry.names),
            programs=list(entry.programs), countries=list(entry.countries), identifiers=list(entry.identifiers),
            listed_on=entry.listed_on, remarks=entry.remarks, published=self.at, fetched=self.at,
        )


@dataclass(frozen=True, slots=True)
class ListChanges:
    """What applying a version changed; `baseline` when it was the list's first version (no events recorded)."""

    listed: int
    delisted: int
    amended: int
    entries: int
    baseline: bool


class RefusedVersion(Exception):
    """A version that looks broken: applying it would delist too much of the list."""


# A designation row's (`d`) sequence: the events of its entry recorded before it.
_SEQUENCE = "(SELECT count(*) FROM designations e WHERE e.list = d.list AND e.entry_id = d.entry_id AND e.id < d.id)"
_COLUMNS = "name, url, etag, last_modified, last_refresh_at, last_applied_at, last_outcome, last_error, entry_count"


class ListStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    def get(self, name: str) -> ListState | None:
        row = self._db.row(f"SELECT {_COLUMNS} FROM list_state WHERE name = ?", (name,))
        return _list_state(row) if row else None

    def all(self) -> list[ListState]:
        return [_list_state(row) for row in self._db.rows(f"SELECT {_COLUMNS} FROM list_state ORDER BY name")]

    def apply(
        self, name: str, url: str, entries: list[ListEntry], *, max_delisted_share: float,
        etag: str | None, last_modified: str | None,
    ) -> ListChanges:
        """Make `entries` the list's version in force and record the designations it brings, in one transaction.

        New ids are listings, vanished ids delistings, entries that differ amendments. The list's first
        version is its baseline: stored without events, since what was listed before tradewire looked is no
        news. A version delisting more than `max_delisted_share` of the stored entries raises RefusedVersion
        and changes nothing.
        """
        applied_at = now_utc()
        now = iso(applied_at)
        new = {entry.entry_id: entry for entry in entries}
        with self._db.transaction() as db:
            stored = dict(db.execute("SELECT entry_id, entry FROM list_entries WHERE list = ?", (name,)).fetchall())
            delisted = [entry_id for entry_id in stored if entry_id not in new]
            if stored and len(delisted) > max_delisted_share * len(stored):
                raise RefusedVersion(
                    f"would delist {len(delisted):,} of {len(stored):,} entries ({len(delisted) / len(stored):.0%}), "
                    f"more than the {max_delisted_share:.0%} allowed (max_delisted_share): taken for a broken file"
                )
            encoded = {entry_id: entry_json(entry) for entry_id, entry in new.items()}
            listed = [entry_id for entry_id in new if entry_id not in stored]
            amended = [entry_id for entry_id in new if entry_id in stored and stored[entry_id] != encoded[entry_id]]
            db.executemany("DELETE FROM list_entries WHERE list = ? AND entry_id = ?", [(name, i) for i in delisted])
            db.executemany(
                "INSERT INTO list_entries (list, entry_id, entry) VALUES (?, ?, ?) "
                "ON CONFLICT (list, entry_id) DO UPDATE SET entry = excluded.entry",
                [(name, entry_id, encoded[entry_id]) for entry_id in (*listed, *amended)],
            )
            if stored:
                events = [(name, i, "listed", now, encoded[i]) for i in listed]
                events += [(name, i, "delisted", now, stored[i]) for i in delisted]
                events += [(name, i, "amended", now, encoded[i]) for i in amended]
                earlier = dict(db.execute(
                    "SELECT entry_id, count(*) FROM designations WHERE list = ? GROUP BY entry_id", (name,)
                ).fetchall())
                db.executemany("INSERT INTO designations (list, entry_id, event, at, entry) VALUES (?, ?, ?, ?, ?)", events)
                for _, entry_id, event, _, entry in events:
                    designation = DesignationEvent(event, applied_at, entry_from_json(name, entry_id, entry), earlier.get(entry_id, 0))  # type: ignore[arg-type]
                    document = designation.document()
                    queue_in(db, document.id, document.model_dump_json())
            if not stored or listed or delisted or amended:
                db.execute("INSERT OR REPLACE INTO rescreen_due (id, changed_at) VALUES (1, ?)", (now,))
            _record_in(db, name, url, now, "applied" if stored else "baseline", None, len(new))
            db.execute(
                "UPDATE list_state SET etag = ?, last_modified = ?, last_applied_at = ? WHERE name = ?",
                (etag, last_modified, now, name),
            )
        if not stored:
            return ListChanges(0, 0, 0, len(new), baseline=True)
        return ListChanges(len(listed), len(delisted), len(amended), len(new), baseline=False)

    def rescreen_due(self) -> str | None:
        """When the entries in force last changed, while articles have not been screened again since; else None."""
        row = self._db.row("SELECT changed_at FROM rescreen_due")
        return str(row[0]) if row else None

    def rescreened(self, due: str) -> None:
        """Articles were screened again against the entries in force at `due` (what `rescreen_due` said when the
        rescreen began): no longer due, unless the entries changed again meanwhile."""
        self._db.write("DELETE FROM rescreen_due WHERE changed_at = ?", (due,))

    def record(self, name: str, url: str, outcome: Outcome, error: str | None = None) -> None:
        """A refresh that applied nothing (not modified, refused, failed): the version in force stays, validators too."""
        with self._db.transaction() as db:
            count = db.execute("SELECT count(*) FROM list_entries WHERE list = ?", (name,)).fetchone()[0]
            _record_in(db, name, url, iso(now_utc()), outcome, error, count)

    def entries(self, names: Iterable[str] | None = None) -> Iterator[ListEntry]:
        """The entries in force, of every list or of `names`."""
        if names is None:
            rows = self._db.rows("SELECT list, entry_id, entry FROM list_entries")
        else:
            wanted = list(names)
            marks = ", ".join("?" * len(wanted))
            rows = self._db.rows(f"SELECT list, entry_id, entry FROM list_entries WHERE list IN ({marks})", wanted)
        for list_name, entry_id, entry in rows:
            yield entry_from_json(list_name, entry_id, entry)

    def designations(self, since: datetime | None = None, list_name: str | None = None) -> list[DesignationEvent]:
        """Designation events, oldest first, at or after `since`, of one list or all."""
        rows = self._db.rows(
            f"SELECT event, at, list, entry_id, entry, {_SEQUENCE} FROM designations d WHERE at >= ? AND (? IS NULL OR list = ?) "
            "ORDER BY id",
            (iso(since) or "", list_name, list_name),
        )
        return [DesignationEvent(event, moment(at), entry_from_json(name, entry_id, entry), sequence)  # type: ignore[arg-type]
                for event, at, name, entry_id, entry, sequence in rows]

    def not_handed_over(self) -> list[tuple[int, DesignationEvent]]:
        """Events not yet given to the alert rules, oldest first, with their ids: those of the version just applied,
        and any a crash left between applying a version and recording its alerts."""
        rows = self._db.rows(
            f"SELECT id, event, at, list, entry_id, entry, {_SEQUENCE} FROM designations d WHERE handed_over = 0 ORDER BY id"
        )
        return [(number, DesignationEvent(event, moment(at), entry_from_json(name, entry_id, entry), sequence))  # type: ignore[arg-type]
                for number, event, at, name, entry_id, entry, sequence in rows]

    def handed_over(self, ids: Iterable[int]) -> None:
        with self._db.transaction() as db:
            db.executemany("UPDATE designations SET handed_over = 1 WHERE id = ?", [(number,) for number in ids])

    def designation_counts(self, since: datetime | None = None) -> dict[str, Counter[str]]:
        """Per list, how many events of each kind since `since`."""
        counts: dict[str, Counter[str]] = {}
        for name, event, count in self._db.rows(
            "SELECT list, event, count(*) FROM designations WHERE at >= ? GROUP BY list, event", (iso(since) or "",)
        ):
            counts.setdefault(name, Counter())[event] = count
        return counts


def _record_in(db: sqlite3.Connection, name: str, url: str, at: str | None, outcome: str, error: str | None, count: int) -> None:
    db.execute(
        "INSERT INTO list_state (name, url, last_refresh_at, last_outcome, last_error, entry_count) VALUES (?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (name) DO UPDATE SET url = excluded.url, last_refresh_at = excluded.last_refresh_at, "
        "last_outcome = excluded.last_outcome, last_error = excluded.last_error, entry_count = excluded.entry_count",
        (name, url, at, outcome, error, count),
    )


def entry_json(entry: ListEntry) -> str:
    """The entry as stored: its fields but its list and id (the row's keys), in a fixed order, so equal entries
    have equal text."""
    return json.dumps({
        "kind": entry.kind, "names": entry.names, "programs": entry.programs, "countries": entry.countries,
        "identifiers": entry.identifiers, "listed_on": entry.listed_on.isoformat() if entry.listed_on else None,
        "remarks": entry.remarks,
    }, ensure_ascii=False, separators=(",", ":"))


def entry_from_json(list_name: str, entry_id: str, text: str) -> ListEntry:
    data: dict[str, Any] = json.loads(text)
    return ListEntry(
        list_name=list_name, entry_id=entry_id, kind=data["kind"], names=tuple(data["names"]),
        programs=tuple(data["programs"]), countries=tuple(data["countries"]), identifiers=tuple(data["identifiers"]),
        listed_on=date.fromisoformat(data["listed_on"]) if data["listed_on"] else None, remarks=data["remarks"],
    )


def _list_state(row: tuple) -> ListState:  # type: ignore[type-arg]
    values = list(row)
    for index in (4, 5):
        values[index] = moment(values[index])
    return ListState(*values)

"""Screening names against the stored entries of every list and the watchlist: the answer `tradewire screen` and
`GET /screen` give.

`StoredScreening` keeps one `ScreeningIndex` and builds it again only when a list's version in force
changed (a refresh applied), so a running service answers at once between refreshes.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from tradewire.enrich.screening.index import ScreeningIndex
from tradewire.ingest.lists.watchlist import WatchedParty, screen_watchlist
from tradewire.ingest.state import State


class NothingToScreen(LookupError):
    """No list has been loaded yet: a name cannot be said to be on none of them."""


class StoredScreening:
    def __init__(self, state_path: Path, watchlist: list[WatchedParty]) -> None:
        self._state_path = state_path
        self._watchlist = watchlist
        self._index: ScreeningIndex | None = None
        self._versions: tuple[tuple[str, str], ...] = ()
        self._lock = threading.Lock()

    def report(self, name: str, limit: int = 10) -> dict[str, Any]:
        """{query, entries_screened, matches: [{list, entry_id, name, matched_name, kind, programs, countries, score,
        why}], watchlist: [{name, matched_name, note, score, why}]}. NothingToScreen when no list is loaded and no
        watched party matches."""
        watched = [
            {"name": match.entry.name, "matched_name": match.name, "note": match.entry.remarks,
             "score": round(match.score, 3), "why": match.why}
            for match in screen_watchlist(self._watchlist, name, limit)
        ]
        try:
            index = self._current()
        except NothingToScreen:
            if not watched:
                raise
            return {"query": name, "entries_screened": 0, "matches": [], "watchlist": watched}
        return {
            "query": name, "entries_screened": len(index.entries),
            "matches": [{
                "list": match.entry.list_name, "entry_id": match.entry.entry_id, "name": match.entry.name,
                "matched_name": match.name, "kind": match.entry.kind, "programs": list(match.entry.programs),
                "countries": list(match.entry.countries), "score": round(match.score, 3), "why": match.why,
            } for match in index.screen(name, limit=limit)],
            "watchlist": watched,
        }

    def _current(self) -> ScreeningIndex:
        # A store of its own per build: the service's state connection may be inside a writer's transaction.
        with self._lock, State(self._state_path) as state:
            versions = tuple((row.name, str(row.last_applied_at)) for row in state.lists.all() if row.last_applied_at)
            if self._index is None or versions != self._versions:
                self._index, self._versions = ScreeningIndex(state.lists.entries()), versions
        if not self._index.entries:
            raise NothingToScreen("no list entries stored yet: enable lists in lists.yaml and run `tradewire lists refresh`")
        return self._index

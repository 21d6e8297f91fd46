"""Screening an article's text against the sanctions lists in force, in the extraction workers.

Each worker builds one `ScreeningIndex` at start from the entries stored in the state database; the pool
restarts its workers when a refresh applies a new version of a list (`WorkerPool.restart`), so a worker
never has to ask whether its lists are still current. With no list loaded there is no index and an
article costs nothing more.
"""

from __future__ import annotations

from pathlib import Path

from tradewire.core.article import ListedParty
from tradewire.enrich.screening.index import ScreeningIndex, ScreeningMatch
from tradewire.ingest.state import State


def load_screening(state_path: Path) -> ScreeningIndex | None:
    """An index of every stored list entry, or None when no list has been loaded."""
    with State(state_path) as state:
        if not any(row.entry_count for row in state.lists.all()):
            return None
        index = ScreeningIndex(state.lists.entries())
    return index if len(index) else None


def listed_parties(index: ScreeningIndex, text: str) -> list[ListedParty]:
    """One party per list entry the text names, at its best-scoring mention (the first among equals), in text order."""
    best: dict[tuple[str, str], ScreeningMatch] = {}
    for match in index.find_in_text(text):
        key = match.entry.key
        if key not in best or match.score > best[key].score:
            best[key] = match
    return [_party(match) for match in sorted(best.values(), key=lambda match: match.span or (0, 0))]


def _party(match: ScreeningMatch) -> ListedParty:
    start, end = match.span or (0, 0)
    return ListedParty(
        list=match.entry.list_name, entry_id=match.entry.entry_id, programs=list(match.entry.programs),
        name=match.name, text=match.text, start=start, end=end, score=match.score,
    )

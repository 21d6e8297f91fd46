"""Screening an article's text against the sanctions lists in force and the watchlist, in the extraction workers.

Each worker builds one `ScreeningIndex` at start from the entries stored in the state database; the pool
restarts its workers when a refresh applies a new version of a list (`WorkerPool.restart`), so a worker
never has to ask whether its lists are still current. With no list loaded there is no index and an
article costs nothing more. The watchlist's parties get an index of their own (`watchlist_index`), made at
worker start from the configuration (a reload that changes the watchlist starts new workers), matched the same way.
"""

from __future__ import annotations

from pathlib import Path

from tradewire.core.article import ListedParty, WatchedMention
from tradewire.enrich.screening.index import ScreeningIndex, ScreeningMatch
from tradewire.ingest.state import State


def load_screening(state_path: Path) -> ScreeningIndex | None:
    """An index of every stored list entry, or None when no list has been loaded."""
    with State(state_path) as state:
        if not any(row.entry_count for row in state.lists.all()):
            return None
        index = ScreeningIndex(state.lists.entries())
    return index if len(index) else None


def listed_parties(index: ScreeningIndex, text: str, title: str = "") -> list[ListedParty]:
    """One party per list entry the text names, at its best-scoring mention (the first among equals), in text order;
    then those only the title names."""
    parties = [_party(match) for match in _best_per_entry(index, text)]
    named = {(party.list, party.entry_id) for party in parties}
    return parties + [_party(match, in_title=True) for match in _best_per_entry(index, title) if match.entry.key not in named]


def watched_mentions(index: ScreeningIndex, text: str) -> list[WatchedMention]:
    """One mention per watched party the text names (the watchlist index's entries: see ingest.lists.watchlist)."""
    return [
        WatchedMention(party=match.entry.name, note=match.entry.remarks, name=match.name, text=match.text,
                       start=(match.span or (0, 0))[0], end=(match.span or (0, 0))[1], score=match.score)
        for match in _best_per_entry(index, text)
    ]


def _best_per_entry(index: ScreeningIndex, text: str) -> list[ScreeningMatch]:
    best: dict[tuple[str, str], ScreeningMatch] = {}
    for match in index.find_in_text(text):
        key = match.entry.key
        if key not in best or match.score > best[key].score:
            best[key] = match
    return sorted(best.values(), key=lambda match: match.span or (0, 0))


def _party(match: ScreeningMatch, *, in_title: bool = False) -> ListedParty:
    start, end = match.span or (0, 0)
    return ListedParty(
        list=match.entry.list_name, entry_id=match.entry.entry_id, programs=list(match.entry.programs),
        name=match.name, text=match.text, start=start, end=end, score=match.score, in_title=in_title,
    )

"""Stored articles screened again against the lists in force, so that a party designated today is `listed:` in
last week's articles too.

An article is screened when it is processed, against the lists in force then. `rescreen` reads the articles
fetched since a moment back from the index, page by page, screens their text again and spools those whose
listed parties changed, to be written like any article (the spool keeps them until the index confirms). An
article already spooled is left as it is: its spooled version is newer than the index's. Titles are screened
too, as the workers screen a new article's. A refresh that
changes the entries in force makes a rescreen due (`ListStore.rescreen_due`) until one has read the whole
window, so an index that cannot be read leaves it due for the next attempt (`serve` tries again every minute,
`run-once` at its next run).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from tradewire.core.article import Article, ListedParty
from tradewire.enrich.screening.index import ScreeningIndex
from tradewire.ingest.articles.screening import listed_parties
from tradewire.ingest.state import State
from tradewire.search.backends import IndexBackend
from tradewire.search.query.ast import DateRange, Keyword, Not, all_of
from tradewire.search.results import MAX_PAGE_SIZE, SearchRequest

# The listed parties each (title, text) names, in order: screened in the extraction workers, or in this process.
ScreenArticles = Callable[[list[tuple[str, str]]], Awaitable[list[list[ListedParty]]]]


@dataclass(frozen=True, slots=True)
class RescreenReport:
    read: int
    changed: int  # articles whose listed parties changed, spooled for the index
    kept: int = 0  # of those, left as they were because a newer version of the article is spooled


async def rescreen(backend: IndexBackend, state: State, screen: ScreenArticles, since: datetime) -> RescreenReport:
    """Screen the articles fetched at or after `since` again and spool those whose listed parties changed.
    A BackendError (the index cannot be read) stops it; what was spooled until then stays spooled."""
    query = all_of(Not(Keyword("kind", "designation")), DateRange("fetched", since, None))
    read = changed = kept = 0
    cursor: str | None = None
    while True:
        request = SearchRequest(query, sort="date", size=MAX_PAGE_SIZE, cursor=cursor, facets=False, highlight=False)
        page = await asyncio.to_thread(backend.search, request)
        articles = [found.article for found in page.hits if isinstance(found.article, Article)]
        parties = await screen([(article.title, article.text) for article in articles])
        updated = {article.id: article.model_copy(update={"listed": listed}).model_dump_json()
                   for article, listed in zip(articles, parties) if listed != article.listed}
        queued = state.spool.queue_unspooled(updated) if updated else 0
        read, changed, kept = read + len(articles), changed + len(updated), kept + len(updated) - queued
        cursor = page.next_cursor
        if cursor is None or not page.hits:
            return RescreenReport(read, changed, kept)


def screening_in_process(index: ScreeningIndex | None) -> ScreenArticles:
    """Screening by `index` in this process (none: no list loaded, so no article names a listed party)."""

    async def screen(articles: list[tuple[str, str]]) -> list[list[ListedParty]]:
        return [listed_parties(index, text, title) if index is not None else [] for title, text in articles]

    return screen


def rescreen_line(report: RescreenReport, window: str) -> str:
    kept = f" ({report.kept} left as spooled: a newer version waits for the index)" if report.kept else ""
    return f"{report.read:,} articles fetched in the last {window} read, {report.changed:,} with changed listed parties{kept}"

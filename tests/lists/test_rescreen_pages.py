"""`rescreen` over more articles than a page, on each backend: every article of the window read once, only those
whose listed parties changed spooled, an article with a newer version spooled left as it is, older ones not read."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime, timezone
from pathlib import Path

from tests.search.test_backend_contract import doc
from tradewire.enrich.screening.entries import ListEntry
from tradewire.enrich.screening.index import ScreeningIndex
from tradewire.ingest.lists.rescreen import rescreen, screening_in_process
from tradewire.ingest.state import State
from tradewire.search.backends import IndexBackend

SECHIN = ListEntry("ofac-sdn", "6910", "person", ("Igor Ivanovich SECHIN",), programs=("RUSSIA-EO14024",))
NAMING = "Rosneft chief executive Igor Sechin met buyers in New Delhi on Tuesday to discuss crude shipments."
OTHER = "Indian refiners have kept buying Russian oil at a discount, two traders said on Tuesday."


def test_every_article_of_the_window_is_read_once_and_only_the_changed_are_spooled(backend: IndexBackend, tmp_path: Path) -> None:
    articles = [doc(f"a{number:03}", f"Story {number}", NAMING if number % 3 == 0 else OTHER,
                    published=f"2025-06-{1 + number % 9:02}T{number % 24:02}:00:00") for number in range(230)]
    old = doc("old", "Old story", NAMING).model_copy(update={"fetched": datetime(2025, 1, 2, tzinfo=timezone.utc)})
    backend.index([*articles, old])
    backend.refresh()
    naming = {article.id for article in articles if article.text == NAMING}
    with State(tmp_path / "state.db") as state:
        newer = articles[0].model_copy(update={"title": "Story 0, updated"})
        state.spool.queue_unspooled({newer.id: newer.model_dump_json()})

        report = asyncio.run(rescreen(backend, state, screening_in_process(ScreeningIndex([SECHIN])),
                                      datetime(2025, 6, 1, tzinfo=timezone.utc)))

        assert (report.read, report.changed, report.kept) == (230, len(naming), 1)
        spooled = {article_id: json.loads(document) for article_id, document in state.spool.oldest(1000)}
    assert set(spooled) == naming
    assert spooled[newer.id]["title"] == "Story 0, updated" and spooled[newer.id]["listed"] == []
    for article_id in naming - {newer.id}:
        (party,) = spooled[article_id]["listed"]
        assert (party["list"], party["entry_id"], party["text"]) == ("ofac-sdn", "6910", "Igor Sechin")

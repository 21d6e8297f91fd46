"""Designation documents through the real command line, on each index backend: a refresh that lists one entry and
delists another indexes two designations, found by kind, list and event, shown by `search` and `show`; the baseline
indexes none; a refresh replayed on the state as it was before it indexes nothing twice; a reindex keeps them; serve
indexes those of its own refreshes, and its API and web page show them."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.lists.test_refresh import ENTRIES, _installation, _uid, _without
from tests.support.cli import Tradewire
from tests.support.service import Served, wait_for
from tradewire.ingest.demo.site import LocalSite

NEWCOMER, LEAVER = ENTRIES[3], ENTRIES[7]  # Roman Arkadyevich ABRAMOVICH (RUSSIA-EO14024); Hossein SALAMI (IRGC, IFSR)


def _search(tradewire: Tradewire, query: str) -> dict:  # type: ignore[type-arg]
    return tradewire.json("search", query)  # type: ignore[no-any-return]


def _copy(source: Path, target: Path) -> None:
    with sqlite3.connect(source) as reading, sqlite3.connect(target) as writing:
        reading.backup(writing)


def test_a_refresh_that_lists_one_and_delists_one_indexes_two_designations(
    tradewire_on: Tradewire, site: LocalSite
) -> None:
    tradewire = tradewire_on
    _installation(tradewire, site, _without(NEWCOMER))
    tradewire.write("feeds.yaml", {"feeds": []})
    baseline = tradewire.run("lists", "refresh", check=True)
    assert (
        "baseline" in baseline.stdout and "index:" not in baseline.stdout
    )  # the baseline is no news: nothing to index

    state = tradewire.data_dir / "state.db"
    before = tradewire.root / "state-before.db"
    _copy(state, before)
    site.put("/sdn.xml", _without(LEAVER), "application/xml")
    refreshed = tradewire.run("lists", "refresh", check=True)
    assert "1 listed, 1 delisted, 0 amended" in refreshed.stdout and "index: 2 documents written" in refreshed.stdout

    (listed,) = _search(tradewire, "kind:designation list:ofac-sdn event:listed")["hits"]
    assert (listed["kind"], listed["entry_id"], listed["event"]) == ("designation", _uid(NEWCOMER), "listed")
    assert listed["names"][0] == "Roman Arkadyevich ABRAMOVICH" and listed["programs"] == ["RUSSIA-EO14024"]
    (delisted,) = _search(tradewire, "kind:designation list:ofac-sdn event:delisted")["hits"]
    assert (delisted["entry_id"], delisted["names"][0]) == (_uid(LEAVER), "Hossein SALAMI")
    assert [hit["id"] for hit in _search(tradewire, "program:IRGC")["hits"]] == [delisted["id"]]
    assert [hit["id"] for hit in _search(tradewire, 'name:"Роман Аркадьевич"')["hits"]] == [listed["id"]]
    assert _search(tradewire, "kind:designation published:>=now-1d")["total"] == 2  # and none of the baseline

    # A search that names no kind is about articles: the designation's names do not bring it in.
    assert _search(tradewire, "abramovich")["total"] == 0
    assert _search(tradewire, "sanctions")["total"] == 0
    assert [hit["id"] for hit in _search(tradewire, "abramovich kind:*")["hits"]] == [listed["id"]]

    lines = tradewire.run("search", "kind:designation", "--sort", "date", check=True).stdout
    assert "2 results" in lines
    assert "listed on ofac-sdn: Roman Arkadyevich ABRAMOVICH (RUSSIA-EO14024)" in lines
    assert "delisted from ofac-sdn: Hossein SALAMI (IRGC, IFSR)" in lines
    shown = tradewire.run("show", listed["id"], check=True).stdout
    assert "listed on ofac-sdn: Roman Arkadyevich ABRAMOVICH" in shown and f"entry {_uid(NEWCOMER)}" in shown
    assert (
        "aliases: Roman Arkadievich ABRAMOVICH; Роман Аркадьевич Абрамович" in shown
        and "programmes: RUSSIA-EO14024" in shown
    )

    # The same refresh replayed on the state of before it (a restored backup): the same events, the same documents.
    _copy(before, state)
    again = tradewire.run("lists", "refresh", check=True)
    assert "1 listed, 1 delisted, 0 amended" in again.stdout
    assert {hit["id"] for hit in _search(tradewire, "kind:designation")["hits"]} == {listed["id"], delisted["id"]}
    # And once more as it is: no events, nothing new.
    tradewire.run("lists", "refresh", check=True)
    assert _search(tradewire, "kind:designation")["total"] == 2

    tradewire.run("index", "reindex", check=True)
    assert {hit["id"] for hit in _search(tradewire, "kind:designation")["hits"]} == {listed["id"], delisted["id"]}


def test_serve_indexes_the_designations_of_its_own_refreshes_and_shows_them(
    tradewire: Tradewire, site: LocalSite
) -> None:
    _installation(tradewire, site, _without(NEWCOMER))
    tradewire.write("feeds.yaml", {"feeds": []})
    tradewire.run("lists", "refresh", check=True)
    site.put("/sdn.xml", _without(LEAVER), "application/xml")
    tradewire.write(
        "lists.yaml",
        {"lists": [{"name": "ofac-sdn", "url": site.url("/sdn.xml"), "format": "ofac_sdn_xml", "interval": "1s"}]},
    )
    service = Served(tradewire).start()
    try:
        found = wait_for(
            lambda: service.get("/search?q=kind%3Adesignation&sort=date")["hits"] or None,
            timeout=60,
            what="the designations of serve's refresh",
        )
        assert {(hit["kind"], hit["event"], hit["entry_id"]) for hit in found} == {
            ("designation", "listed", _uid(NEWCOMER)),
            ("designation", "delisted", _uid(LEAVER)),
        }
        assert service.get("/search?q=abramovich")["total"] == 0
        listed = next(hit for hit in found if hit["event"] == "listed")
        assert service.get(f"/articles/{listed['id']}")["names"][0] == "Roman Arkadyevich ABRAMOVICH"

        page = service.get("/?q=kind%3Adesignation")
        assert "2 results" in page and "listed on ofac-sdn: Roman Arkadyevich ABRAMOVICH (RUSSIA-EO14024)" in page
        assert f'href="/ui/articles/{listed["id"]}"' in page and 'data-value="designation"' in page
        shown = service.get(f"/ui/articles/{listed['id']}")
        assert 'id="designation-title">listed on ofac-sdn: Roman Arkadyevich ABRAMOVICH (RUSSIA-EO14024)<' in shown
        assert "Роман Аркадьевич Абрамович" in shown and "RUSSIA-EO14024" in shown
    finally:
        service.stop()

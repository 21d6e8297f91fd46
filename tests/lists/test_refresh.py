"""Refreshing sanctions lists served on 127.0.0.1, through the real command line: versions diffed into
designation events, broken versions refused with the previous one kept, 304s applying nothing, and
`screen` against what was loaded."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.support.cli import Tradewire
from tests.support.service import Served, wait_for
from tradewire.ingest.demo.site import LocalSite
from tradewire.ingest.state import State

DATA = Path(__file__).resolve().parents[1] / "data" / "lists"
SDN = (DATA / "ofac_sdn_xml.xml").read_text(encoding="utf-8")
ENTRY = re.compile(r"  <sdnEntry>.*?</sdnEntry>\n", re.DOTALL)
ENTRIES = ENTRY.findall(SDN)


def _uid(entry: str) -> str:
    return re.search(r"<uid>(\d+)</uid>", entry).group(1)  # type: ignore[union-attr]


def _without(*gone: str) -> str:
    """The SDN fixture without the entries `gone` (their XML as in the file)."""
    return ENTRY.sub(lambda match: "" if match.group(0) in gone else match.group(0), SDN)


def _installation(tradewire: Tradewire, site: LocalSite, body: str) -> None:
    url = site.put("/sdn.xml", body, "application/xml")
    tradewire.write("lists.yaml", {"lists": [{"name": "ofac-sdn", "url": url, "format": "ofac_sdn_xml"}]})


def _status(tradewire: Tradewire) -> dict:  # type: ignore[type-arg]
    (row,) = tradewire.json("lists", "status")
    return row


def _events(tradewire: Tradewire) -> set[tuple[str, str]]:
    with State(tradewire.data_dir / "state.db") as state:
        return {(event.event, event.entry.entry_id) for event in state.lists.designations()}


def test_one_entry_gained_and_one_lost_are_one_listing_and_one_delisting(tradewire: Tradewire, site: LocalSite) -> None:
    newcomer, leaver = ENTRIES[3], ENTRIES[7]
    _installation(tradewire, site, _without(newcomer))
    first = tradewire.run("lists", "refresh", check=True)
    assert "baseline" in first.stdout and f"{len(ENTRIES) - 1} entries" in first.stdout
    assert _status(tradewire)["designations"] == {"listed": 0, "delisted": 0, "amended": 0}  # the first load is no news

    site.put("/sdn.xml", _without(leaver), "application/xml")
    second = tradewire.run("lists", "refresh", check=True)
    assert "1 listed, 1 delisted, 0 amended" in second.stdout
    assert _events(tradewire) == {("listed", _uid(newcomer)), ("delisted", _uid(leaver))}
    status = _status(tradewire)
    assert status["designations"] == {"listed": 1, "delisted": 1, "amended": 0}
    assert status["entries"] == len(ENTRIES) - 1 and status["last_outcome"] == "applied" and status["last_error"] is None


def test_a_truncated_file_keeps_the_previous_version_and_status_says_why(tradewire: Tradewire, site: LocalSite) -> None:
    _installation(tradewire, site, SDN)
    tradewire.run("lists", "refresh", check=True)
    site.put("/sdn.xml", SDN[: len(SDN) * 2 // 3], "application/xml")
    refused = tradewire.run("lists", "refresh")
    assert refused.returncode == 1 and "ofac-sdn: refused" in refused.stdout
    status = _status(tradewire)
    assert status["last_outcome"] == "refused" and status["entries"] == len(ENTRIES)
    assert "not a complete list" in status["last_error"] and "previous version stays in force" in status["last_error"]
    assert "refused" in tradewire.run("lists", "status").stdout
    assert _events(tradewire) == set()
    # The previous version is still what names are screened against.
    assert tradewire.run("screen", "Igor Sechin").returncode == 0

    site.put("/sdn.xml", SDN.replace("<sdnEntry>", "<entry>").replace("</sdnEntry>", "</entry>"), "application/xml")
    assert tradewire.run("lists", "refresh").returncode == 1  # a file of another shape: no entries at all
    assert _status(tradewire)["entries"] == len(ENTRIES) and _events(tradewire) == set()


def test_a_version_delisting_half_the_list_is_refused_with_the_reason(tradewire: Tradewire, site: LocalSite) -> None:
    _installation(tradewire, site, SDN)
    tradewire.run("lists", "refresh", check=True)
    half = ENTRIES[: len(ENTRIES) // 2]
    site.put("/sdn.xml", _without(*half), "application/xml")
    refused = tradewire.run("lists", "refresh")
    assert refused.returncode == 1
    status = _status(tradewire)
    assert status["last_outcome"] == "refused" and status["entries"] == len(ENTRIES)
    assert f"would delist {len(half)} of {len(ENTRIES)} entries (50%)" in status["last_error"]
    assert "max_delisted_share" in status["last_error"]
    assert _events(tradewire) == set()

    # The next sound version is compared with the version in force, not with the refused one.
    site.put("/sdn.xml", _without(half[0]), "application/xml")
    assert "0 listed, 1 delisted" in tradewire.run("lists", "refresh", check=True).stdout


def test_not_modified_changes_nothing(tradewire: Tradewire, site: LocalSite) -> None:
    _installation(tradewire, site, SDN)
    tradewire.run("lists", "refresh", check=True)
    before = _status(tradewire)
    again = tradewire.run("lists", "refresh", check=True)
    assert "not modified" in again.stdout
    last = site.requests_for("/sdn.xml")[-1]
    assert last.status == 304 and "if-none-match" in {name.lower() for name in last.headers}
    after = _status(tradewire)
    assert after["last_outcome"] == "not-modified" and after["entries"] == before["entries"]
    assert after["last_applied_at"] == before["last_applied_at"] and _events(tradewire) == set()


def test_screen_finds_a_listed_name_written_differently_and_not_a_common_word(tradewire: Tradewire, site: LocalSite) -> None:
    assert tradewire.run("screen", "Sergei Lavrov").returncode == 2  # nothing loaded yet: nothing to screen against
    _installation(tradewire, site, SDN)
    tradewire.run("lists", "refresh", check=True)
    lavrov = _uid(next(entry for entry in ENTRIES if "LAVROV" in entry))
    for written in ("Lavrov, Sergei", "Serguei Lavrov", "Сергей Лавров"):
        result = tradewire.run("screen", written, "--json")
        assert result.returncode == 0, (written, result.stdout, result.stderr)
        best = json.loads(result.stdout)["matches"][0]
        assert (best["list"], best["entry_id"]) == ("ofac-sdn", lavrov) and best["programs"] == ["RUSSIA-EO14024"]
        assert best["why"] and 0.88 <= best["score"] <= 1
    table = tradewire.run("screen", "Kim Yong Chol")
    assert table.returncode == 0 and "Yong Chol KIM" in table.stdout and "word order" in table.stdout
    for ordinary in ("Oil Company", "Bank", "Lavrov"):  # common words, and a surname alone
        missed = tradewire.run("screen", ordinary, "--json")
        assert missed.returncode == 1 and json.loads(missed.stdout)["matches"] == [], ordinary


def test_run_once_refreshes_the_lists_that_are_due(tradewire: Tradewire, site: LocalSite) -> None:
    tradewire.write("feeds.yaml", {"feeds": []})
    _installation(tradewire, site, SDN)
    first = tradewire.run("run-once", check=True)
    assert "Lists:    1 refreshed · 0 listed · 0 delisted · 0 amended · 1 first loads" in first.stdout
    assert _status(tradewire)["entries"] == len(ENTRIES)
    site.put("/sdn.xml", _without(ENTRIES[0]), "application/xml")
    second = tradewire.run("run-once", check=True)
    assert "Lists:    none due (1 enabled)" in second.stdout  # its interval (1 day by default) has not passed
    assert _status(tradewire)["entries"] == len(ENTRIES) and len(site.requests_for("/sdn.xml")) == 1


def test_the_api_screens_against_the_lists_a_refresh_loaded(tradewire: Tradewire, site: LocalSite) -> None:
    tradewire.write("feeds.yaml", {"feeds": []})
    tradewire.write("watchlist.yaml", {"parties": [{"name": "Northwind Logistics LLC", "note": "our freight forwarder"}]})
    _installation(tradewire, site, _without(next(entry for entry in ENTRIES if "SECHIN" in entry)))
    served = Served(tradewire).start()
    try:
        # The service loads the list itself at start (it was never refreshed): screening answers once it has.
        wait_for(lambda: served.get("/screen?name=Bank", check=False) is not None, timeout=60,
                 what="the service's first load of the list")
        found = served.get("/screen?name=" + urllib.parse.quote("Сергей Лавров"))
        assert found["matches"][0]["list"] == "ofac-sdn" and "RUSSIA-EO14024" in found["matches"][0]["programs"]
        assert served.get("/screen?name=Bank")["matches"] == []
        assert served.get("/screen?name=Igor%20Sechin")["matches"] == []
        # The watchlist answers as `tradewire screen` does.
        watched = served.get("/screen?name=" + urllib.parse.quote("Northwind Logistics"))["watchlist"]
        assert [(party["name"], party["note"]) for party in watched] == [("Northwind Logistics LLC", "our freight forwarder")]
        site.put("/sdn.xml", SDN, "application/xml")  # Sechin listed: the service screens against the new version
        tradewire.run("lists", "refresh", check=True)
        assert served.get("/screen?name=Igor%20Sechin")["matches"][0]["name"] == "Igor Ivanovich SECHIN"
    finally:
        served.stop()


def test_serve_refreshes_due_lists_and_health_says_when_a_version_was_refused(tradewire: Tradewire, site: LocalSite) -> None:
    tradewire.write("feeds.yaml", {"feeds": []})
    url = site.put("/sdn.xml", SDN, "application/xml")
    tradewire.write("lists.yaml", {"lists": [{"name": "ofac-sdn", "url": url, "format": "ofac_sdn_xml", "interval": "2s"}]})
    served = Served(tradewire).start()
    try:
        health = wait_for(lambda: (h := served.get("/healthz", check=False)) and h["lists"].get("ofac-sdn") and h,
                          timeout=60, what="the list's first load")
        assert health["status"] == "ok" and health["lists"]["ofac-sdn"]["entries"] == len(ENTRIES)
        site.put("/sdn.xml", SDN[: len(SDN) // 2], "application/xml")  # a truncated version
        wait_for(lambda: _status(tradewire)["last_outcome"] == "refused", timeout=60, what="the truncated version refused")
        assert _status(tradewire)["entries"] == len(ENTRIES), "the previous version stays in force"
        with pytest.raises(urllib.error.HTTPError) as answer:
            urllib.request.urlopen(served.url + "/healthz", timeout=10)
        degraded = json.loads(answer.value.read())
        assert answer.value.code == 503 and degraded["status"] == "degraded"
        assert "previous version stays in force" in degraded["lists"]["ofac-sdn"]["error"]
        with State(tradewire.data_dir / "state.db") as state:
            assert state.lists.get("ofac-sdn").last_outcome == "refused"  # type: ignore[union-attr]
    finally:
        served.stop()

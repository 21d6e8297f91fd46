"""Stored articles screened again when the lists change, on each backend: `run-once` and `serve` after a refresh
that changed the entries in force, and `tradewire lists rescreen`; an index that cannot be read leaves the rescreen
due for the next run. A real feed, pages and the OFAC SDN fixture served on 127.0.0.1, a real Elasticsearch node."""

from __future__ import annotations

import re
import socket
import urllib.parse

import pytest

from tests.lists.test_article_screening import SDN, _publish, _search
from tests.support.cli import Tradewire
from tests.support.service import FAST_POLLING, Served, wait_for
from tradewire.ingest.demo.site import LocalSite
from tradewire.ingest.state import State

SECHIN_ARTICLE = "Rosneft chief courts Indian refiners"
# The fixture without Igor Sechin's entry: a version that delists him (Rosneft stays listed).
WITHOUT_SECHIN = re.sub(r"<sdnEntry>(?:(?!</sdnEntry>).)*<lastName>SECHIN</lastName>.*?</sdnEntry>", "", SDN, count=1, flags=re.DOTALL)
ON_ELASTICSEARCH = pytest.mark.parametrize("tradewire_on", ["elasticsearch"], indirect=True)


def _with_list(tradewire: Tradewire, site: LocalSite, body: str) -> None:
    url = site.put("/sdn.xml", body, "application/xml")
    tradewire.write("lists.yaml", {"lists": [{"name": "ofac-sdn", "url": url, "format": "ofac_sdn_xml"}]})


def _listed_texts(tradewire: Tradewire) -> list[str]:
    (article_id,) = _search(tradewire, "Sechin").values()
    return [party["text"] for party in tradewire.json("show", article_id)["listed"]]


def _rescreen_due(tradewire: Tradewire) -> str | None:
    with State(tradewire.data_dir / "state.db") as state:
        return state.lists.rescreen_due()


def test_run_once_screens_the_articles_it_processed_before_the_list_was_loaded(tradewire_on: Tradewire, site: LocalSite) -> None:
    tradewire_on.feeds({"trade": _publish(site)})
    tradewire_on.run("run-once", check=True)
    assert _search(tradewire_on, "listed:*") == {}

    _with_list(tradewire_on, site, SDN)
    result = tradewire_on.run("run-once", check=True)
    assert "Rescreen: 2 articles fetched in the last 30d read, 1 with changed listed parties" in result.stdout
    assert list(_search(tradewire_on, "listed:ofac-sdn")) == [SECHIN_ARTICLE]
    assert _listed_texts(tradewire_on) == ["Rosneft", "Igor Sechin"]
    assert _rescreen_due(tradewire_on) is None
    assert "Rescreen:" not in tradewire_on.run("run-once", check=True).stdout  # the lists did not change since


def test_lists_rescreen_drops_a_party_delisted_since(tradewire_on: Tradewire, site: LocalSite) -> None:
    _with_list(tradewire_on, site, SDN)
    tradewire_on.feeds({"trade": _publish(site)})
    tradewire_on.run("run-once", check=True)
    assert _listed_texts(tradewire_on) == ["Rosneft", "Igor Sechin"]

    site.put("/sdn.xml", WITHOUT_SECHIN, "application/xml")
    assert "1 delisted" in tradewire_on.run("lists", "refresh", check=True).stdout
    result = tradewire_on.run("lists", "rescreen", "--since", "7d", check=True)
    assert result.stdout.splitlines()[0] == "rescreen: 2 articles fetched in the last 7d read, 1 with changed listed parties"
    assert _listed_texts(tradewire_on) == ["Rosneft"]
    # A shorter window than serve's own leaves the due rescreen to serve and run-once.
    assert _rescreen_due(tradewire_on) is not None
    assert "0 with changed listed parties" in tradewire_on.run("lists", "rescreen", check=True).stdout
    assert _rescreen_due(tradewire_on) is None


@ON_ELASTICSEARCH
def test_an_index_that_cannot_be_read_leaves_the_rescreen_due_for_the_next_run(tradewire_on: Tradewire, site: LocalSite) -> None:
    tradewire_on.feeds({"trade": _publish(site)})
    tradewire_on.run("run-once", check=True)
    _with_list(tradewire_on, site, SDN)
    reachable = tradewire_on.env["TRADEWIRE_ES_URL"]
    tradewire_on.env["TRADEWIRE_ES_URL"] = f"http://127.0.0.1:{_closed_port()}"

    refused = tradewire_on.run("lists", "rescreen")
    assert refused.returncode == 1 and "articles not screened again: the index cannot be read" in refused.stderr
    failed = tradewire_on.run("run-once")
    assert failed.returncode == 1 and "Rescreen: not done, the index cannot be read" in failed.stdout
    assert _rescreen_due(tradewire_on) is not None

    tradewire_on.env["TRADEWIRE_ES_URL"] = reachable
    result = tradewire_on.run("run-once", check=True)
    assert "1 with changed listed parties" in result.stdout
    assert list(_search(tradewire_on, "listed:ofac-sdn")) == [SECHIN_ARTICLE]


def test_serve_screens_stored_articles_again_after_a_refresh_changed_the_lists(tradewire_on: Tradewire, site: LocalSite) -> None:
    tradewire_on.feeds({"trade": _publish(site)})
    tradewire_on.run("run-once", check=True)
    _with_list(tradewire_on, site, SDN)
    tradewire_on.settings(FAST_POLLING)
    served = Served(tradewire_on).start()  # the list is due at start: its first load changes the entries in force
    try:
        query = "/search?q=" + urllib.parse.quote("listed:ofac-sdn")
        found = wait_for(lambda: served.get(query)["hits"], timeout=90, what="the stored article screened again")
        assert "stored articles screened again" in served.log()
    finally:
        served.stop()
    assert [hit["title"] for hit in found] == [SECHIN_ARTICLE]


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])

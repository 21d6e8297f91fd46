"""Articles screened against the sanctions lists in force: a real `run-once` and `serve` over a feed and pages
served on 127.0.0.1, with the OFAC SDN fixture served as the list; and the worker pool picking up a new list version."""

from __future__ import annotations

import asyncio
import html
import re
import urllib.parse
from pathlib import Path

from tests.support.cli import Tradewire
from tests.support.feeds import item, news_page, rss
from tests.support.service import FAST_POLLING, Served, wait_for
from tradewire.enrich.screening.index import ScreeningIndex
from tradewire.ingest.articles.process import PageJob
from tradewire.ingest.articles.screening import listed_parties
from tradewire.ingest.articles.workers import WorkerPool
from tradewire.ingest.configuration import load_enrichment
from tradewire.ingest.demo.site import LocalSite
from tradewire.ingest.lists import read_list
from tradewire.ingest.state import State

SDN_PATH = Path(__file__).resolve().parents[1] / "data" / "lists" / "ofac_sdn_xml.xml"
SDN = SDN_PATH.read_text(encoding="utf-8")
SECHIN = re.search(r"<sdnEntry>\s*<uid>(\d+)</uid>\s*<firstName>Igor Ivanovich</firstName>\s*<lastName>SECHIN</lastName>"
                   r".*?<programList>(.*?)</programList>", SDN, re.DOTALL)
assert SECHIN is not None
SECHIN_UID = SECHIN.group(1)
SECHIN_PROGRAMS = re.findall(r"<program>(.*?)</program>", SECHIN.group(2))

LISTED_TEXT = (
    "Rosneft chief executive Igor Sechin met buyers in New Delhi on Tuesday to discuss crude shipments, "
    "two traders said. Indian refiners have kept buying Russian oil at a discount despite Western "
    "sanctions on Moscow, and payments are now settled in dirhams and yuan through banks in Dubai."
)
# Every word of a listed name ("Golden Star Co.", "The Base", "New Horizon Trading LLC") as ordinary words.
COMMON_TEXT = (
    "The base case for exporters is a slower year. Golden star ratings for new horizon trading desks were "
    "handed out at the shipping fair in Rotterdam, where a golden star also marked the best stand. "
    "Freight rates fell for a third week as container lines added capacity on Asia to Europe routes."
)


def _publish(site: LocalSite) -> str:
    items = []
    for slug, title, text in (("sechin-india", "Rosneft chief courts Indian refiners", LISTED_TEXT),
                              ("freight-fair", "Freight rates slide as fair opens", COMMON_TEXT)):
        page = site.url(f"/news/{slug}.html")
        site.put(f"/news/{slug}.html", news_page(title, text, canonical=page))
        items.append(item(page, title))
    site.put("/feed.xml", rss(items), "application/rss+xml")
    return site.url("/feed.xml")


def _search(tradewire: Tradewire, query: str) -> dict[str, str]:
    """Article title -> id for every article `query` finds."""
    found = tradewire.json("search", query)
    return {hit["title"]: hit["id"] for hit in found["hits"]}


def test_an_article_naming_a_listed_party_is_found_by_its_list_and_shows_the_entry(tradewire: Tradewire, site: LocalSite) -> None:
    tradewire.feeds({"trade": _publish(site)})
    url = site.put("/sdn.xml", SDN, "application/xml")
    tradewire.write("lists.yaml", {"lists": [{"name": "ofac-sdn", "url": url, "format": "ofac_sdn_xml"}]})
    result = tradewire.run("run-once", check=True)
    assert "2 new" in result.stdout and "1 first loads" in result.stdout

    listed = _search(tradewire, "listed:ofac-sdn")
    assert list(listed) == ["Rosneft chief courts Indian refiners"]
    assert _search(tradewire, "listed:*") == listed
    assert _search(tradewire, "listed:un-sc") == {}

    document = tradewire.json("show", listed["Rosneft chief courts Indian refiners"])
    # Rosneft is on the list too, as a company.
    assert [party["text"] for party in document["listed"]] == ["Rosneft", "Igor Sechin"]
    for party in document["listed"]:
        assert document["text"][party["start"] : party["end"]] == party["text"] and party["list"] == "ofac-sdn"
    party = document["listed"][1]
    assert (party["entry_id"], party["programs"], party["name"]) == (SECHIN_UID, SECHIN_PROGRAMS, "Igor Ivanovich SECHIN")
    shown = tradewire.run("show", listed["Rosneft chief courts Indian refiners"], check=True).stdout
    assert f"ofac-sdn entry {SECHIN_UID}" in shown and all(program in shown for program in SECHIN_PROGRAMS)

    common = _search(tradewire, '"golden star"')
    assert list(common) == ["Freight rates slide as fair opens"]
    assert tradewire.json("show", common["Freight rates slide as fair opens"])["listed"] == []


def test_the_web_page_lists_the_parties_with_their_entry(tradewire: Tradewire, site: LocalSite) -> None:
    url = site.put("/sdn.xml", SDN, "application/xml")
    tradewire.write("lists.yaml", {"lists": [{"name": "ofac-sdn", "url": url, "format": "ofac_sdn_xml"}]})
    tradewire.run("lists", "refresh", check=True)
    tradewire.settings(FAST_POLLING)
    tradewire.feeds({"trade": _publish(site)}, interval="2s")
    served = Served(tradewire).start()
    try:
        query = "/search?q=" + urllib.parse.quote("listed:ofac-sdn")
        found = wait_for(lambda: served.get(query)["hits"], timeout=60, what="the screened article")
        page = html.unescape(served.get(f"/ui/articles/{found[0]['id']}"))
    finally:
        served.stop()
    section = page[page.index("<h2>Listed parties</h2>") : page.index("<h2>Entities</h2>")]
    assert "Igor Sechin" in section and "Igor Ivanovich SECHIN" in section and f"<td>{SECHIN_UID}</td>" in section
    assert ", ".join(SECHIN_PROGRAMS) in section and "ofac-sdn" in section


def test_serve_screens_new_articles_against_a_list_it_loaded_while_running(tradewire: Tradewire, site: LocalSite) -> None:
    url = site.put("/sdn.xml", SDN, "application/xml")
    tradewire.write("lists.yaml", {"lists": [{"name": "ofac-sdn", "url": url, "format": "ofac_sdn_xml"}]})
    site.put("/feed.xml", rss([]), "application/rss+xml")
    tradewire.settings(FAST_POLLING)
    tradewire.feeds({"trade": site.url("/feed.xml")}, interval="2s")
    served = Served(tradewire).start()  # its workers start before the list's first load
    try:
        wait_for(lambda: served.get("/screen?name=Bank", check=False) is not None, timeout=60,
                 what="the service's first load of the list")
        _publish(site)
        query = "/search?q=" + urllib.parse.quote("listed:ofac-sdn")
        found = wait_for(lambda: served.get(query)["hits"], timeout=60, what="the screened article")
    finally:
        served.stop()
    assert [hit["title"] for hit in found] == ["Rosneft chief courts Indian refiners"]


def test_with_no_list_loaded_nothing_is_screened(tradewire: Tradewire, site: LocalSite) -> None:
    tradewire.feeds({"trade": _publish(site)})
    tradewire.run("run-once", check=True)
    assert _search(tradewire, "listed:*") == {}
    (article_id,) = _search(tradewire, "Sechin").values()
    assert tradewire.json("show", article_id)["listed"] == []


def test_restarted_workers_screen_against_the_list_version_applied_since(tradewire: Tradewire) -> None:
    taxonomy, gazetteer = load_enrichment(tradewire.config_dir)
    state_path = tradewire.data_dir / "state.db"
    tradewire.data_dir.mkdir(parents=True, exist_ok=True)
    State(state_path).close()
    job = PageJob("https://news.example/sechin", news_page("Rosneft chief courts Indian refiners", LISTED_TEXT,
                  canonical="https://news.example/sechin").encode(), "", "", None, None)

    async def screened(pool: WorkerPool) -> list[str]:
        await pool.warm_up()
        return [party.text for party in (await pool.process(job)).listed]

    pool = WorkerPool(taxonomy, gazetteer, workers=1, lists=state_path)
    try:
        assert asyncio.run(screened(pool)) == []
        with State(state_path) as state, SDN_PATH.open("rb") as file:
            state.lists.apply("ofac-sdn", "http://127.0.0.1/sdn.xml", read_list(file, "ofac_sdn_xml", "ofac-sdn"),
                              max_delisted_share=0.2, etag=None, last_modified=None)
        pool.restart()
        assert asyncio.run(screened(pool)) == ["Rosneft", "Igor Sechin"]
    finally:
        pool.close()


def test_a_party_only_the_title_names_is_listed_with_its_place_in_the_title() -> None:
    with SDN_PATH.open("rb") as file:
        index = ScreeningIndex(read_list(file, "ofac_sdn_xml", "ofac-sdn"))
    title = "US widens sanctions on Igor Sechin"
    (party,) = listed_parties(index, COMMON_TEXT, title)
    assert (party.entry_id, party.in_title, title[party.start : party.end]) == (SECHIN_UID, True, "Igor Sechin")
    # Named in the text too: listed once, where the text names it.
    assert [(party.text, party.in_title) for party in listed_parties(index, LISTED_TEXT, title)] == [
        ("Rosneft", False), ("Igor Sechin", False)]

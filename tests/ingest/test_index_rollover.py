"""`tradewire index rollover` and serve's rollover job on the real node: an article updated, shown, alerted on
and reindexed after the alias rolled over is found once, in the index that holds it."""

from __future__ import annotations

import pytest

from tests.ingest.test_service import publish
from tests.support.cli import Tradewire
from tests.support.elastic import copies_by_id
from tests.support.feeds import item, news_page, rss
from tests.support.receivers import WebhookReceiver
from tests.support.service import FAST_POLLING, Served, wait_for
from tradewire.ingest.demo.site import LocalSite

ROLL_EVERY_DOCUMENT = {"rollover": {"max_docs": 1, "max_age": None, "max_primary_shard_size": None}}
WEIGHING = "The U.S. Treasury is weighing sanctions on three Chinese refiners, officials said on Monday."
IMPOSED = "The U.S. Treasury imposed sanctions on three Chinese refiners on Tuesday, freezing their assets."

ON_ELASTICSEARCH = pytest.mark.parametrize("tradewire_on", ["elasticsearch"], indirect=True)


@pytest.fixture
def rolling(tradewire_on: Tradewire) -> tuple[Tradewire, str]:
    """The installation on Elasticsearch (tests marked ON_ELASTICSEARCH) and its alias."""
    return tradewire_on, tradewire_on.env["TRADEWIRE_ES_INDEX"]


def publish_refiners(site: LocalSite, title: str, text: str, updated: str) -> None:
    page = site.url("/news/refiners.html")
    site.put("/news/refiners.html", news_page(title, text * 3, canonical=page))
    feed = rss([item(page, title, guid="refiners-story")])
    site.put("/feed.xml", feed.replace("<pubDate>", f"<atom:updated>{updated}</atom:updated><pubDate>", 1)
             .replace("<rss ", '<rss xmlns:atom="http://www.w3.org/2005/Atom" ', 1), "application/rss+xml")


@ON_ELASTICSEARCH
def test_an_article_updated_after_a_rollover_stays_in_place(site: LocalSite, rolling: tuple[Tradewire, str]) -> None:
    tradewire, alias = rolling
    tradewire.settings({"elasticsearch": ROLL_EVERY_DOCUMENT})
    receiver = WebhookReceiver(site)
    rule = {"name": "imposed", "query": "asserted:sanctions", "channels": ["hook"]}
    tradewire.write("alerts.yaml", {"channels": {"hook": {"type": "webhook", "url": receiver.url}}, "rules": [rule]})
    publish_refiners(site, "Treasury weighs sanctions on refiners", WEIGHING, "2025-06-09T08:00:00Z")
    tradewire.feeds({"wire": site.url("/feed.xml")})
    assert "1 new" in tradewire.run("run-once", check=True).stdout

    rolled = tradewire.run("index", "rollover", "--if-needed", check=True)
    assert rolled.stdout.strip() == f"rolled over {alias}: {alias}-000001 -> {alias}-000002 (max_docs: 1 met)"
    unneeded = tradewire.run("index", "rollover", "--if-needed", check=True)
    assert unneeded.stdout.strip() == (
        f"not rolled over: no condition met (max_docs: 1); {alias} writes to {alias}-000002"
    )
    status = tradewire.json("index", "status")
    assert status["indices"] == [f"{alias}-000001", f"{alias}-000002"] and status["write_index"] == f"{alias}-000002"

    publish_refiners(site, "Treasury imposes sanctions on refiners", IMPOSED, "2025-06-10T09:00:00Z")
    assert "1 updated" in tradewire.run("run-once", check=True).stdout
    copies = copies_by_id(tradewire.env["TRADEWIRE_ES_URL"], alias)
    assert list(copies.values()) == [[f"{alias}-000001"]]
    found = tradewire.json("search", "asserted:sanctions")
    assert found["total"] == 1 and found["hits"][0]["title"] == "Treasury imposes sanctions on refiners"
    assert tradewire.json("show", found["hits"][0]["id"])["title"] == "Treasury imposes sanctions on refiners"
    assert len(receiver.received) == 1 and receiver.received[0]["title"] == "Treasury imposes sanctions on refiners"
    assert "the query finds 1 indexed articles" in tradewire.run("alerts", "test", "imposed", check=True).stdout

    reindexed = tradewire.run("index", "reindex", "--delete-old", check=True)
    assert f"reindexed 1 documents: {alias}-000001, {alias}-000002 -> {alias}-000003" in reindexed.stdout
    assert tradewire.json("index", "status")["indices"] == [f"{alias}-000003"]
    assert list(copies_by_id(tradewire.env["TRADEWIRE_ES_URL"], alias)) == list(copies)


def test_rollover_on_the_embedded_index_says_it_has_none(tradewire: Tradewire) -> None:
    tradewire.settings()
    result = tradewire.run("index", "rollover")
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.strip().splitlines() == [(
        "Error: the embedded SQLite index has no rollover (one file holds every article); rollover is for "
        "Elasticsearch (elasticsearch.url)"
    )]


@pytest.mark.parametrize(("condition", "value", "said"), [
    ("max_age", "3 weeks", "expected an age such as 30d or 12h in Elasticsearch's units (got '3 weeks')"),
    ("max_primary_shard_size", "50 GB", "expected a size such as 50gb or 500mb in Elasticsearch's units"),
    ("max_docs", 0, "greater than or equal to 1"),
])
def test_a_mistaken_rollover_condition_is_a_configuration_error(
    tradewire: Tradewire, condition: str, value: object, said: str
) -> None:
    tradewire.settings({"elasticsearch": {"rollover": {condition: value}}})
    for command in (("index", "rollover"), ("index", "status")):
        result = tradewire.run(*command)
        assert result.returncode == 2 and f"elasticsearch.rollover.{condition}: " in result.stderr
        assert said in result.stderr


@ON_ELASTICSEARCH
def test_serve_rolls_the_index_over_when_a_condition_is_met(site: LocalSite, rolling: tuple[Tradewire, str]) -> None:
    tradewire, alias = rolling
    tradewire.settings(FAST_POLLING | {"server": {"shutdown_timeout": 10}, "elasticsearch": {
        "rollover": {**ROLL_EVERY_DOCUMENT["rollover"], "check_interval": "1s"}, "refresh_interval": "100ms"}})
    publish(site, range(1))
    tradewire.feeds({"wire": site.url("/feed.xml")}, interval="1s")
    served = Served(tradewire).start()
    try:
        wait_for(lambda: len(tradewire.json("index", "status")["indices"]) == 2, timeout=60, what="the first rollover")
        publish(site, range(3))
        wait_for(lambda: served.get("/search?size=0")["total"] == 3, timeout=60, what="three articles")
        wait_for(lambda: len(tradewire.json("index", "status")["indices"]) >= 3, timeout=60, what="a second rollover")
    finally:
        served.stop()
    copies = copies_by_id(tradewire.env["TRADEWIRE_ES_URL"], alias)
    assert len(copies) == 3 and all(len(indices) == 1 for indices in copies.values())
    assert f"rolled over {alias}: {alias}-000001 -> {alias}-000002 (max_docs: 1 met)" in served.log()

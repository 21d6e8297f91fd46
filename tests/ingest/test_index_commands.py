"""`tradewire index ...` and what happens when the index is unreachable."""

from __future__ import annotations

import socket

from elasticsearch import Elasticsearch

from tests.ingest.test_end_to_end import publish_seed
from tests.support.cli import Tradewire
from tests.support.elastic import drop_alias, unique_alias
from tradewire.ingest.demo.site import LocalSite


def test_index_status_and_reindex_on_each_backend(site: LocalSite, tradewire_on: Tradewire, seed_text: str) -> None:
    tradewire_on.feeds({"trade": publish_seed(site, seed_text)})
    tradewire_on.run("run-once", check=True)
    status = tradewire_on.json("index", "status")
    assert status["documents"] == 1 and status["spooled"] == 0
    if status["backend"] == "elasticsearch":
        assert status["version"].startswith(("8.", "9.")) and status["indices"] == [tradewire_on.env["TRADEWIRE_ES_INDEX"] + "-000001"]
    reindexed = tradewire_on.run("index", "reindex", "--delete-old", check=True)
    assert "reindexed 1 documents" in reindexed.stdout
    assert tradewire_on.json("search", '"rare earth" AND tag:export_licenses')["total"] == 1
    if status["backend"] == "elasticsearch":
        assert tradewire_on.json("index", "status")["indices"] == [tradewire_on.env["TRADEWIRE_ES_INDEX"] + "-000002"]


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_unreachable_elasticsearch_keeps_articles_spooled_until_it_is_back(
    site: LocalSite, tradewire: Tradewire, seed_text: str, elasticsearch_url: str
) -> None:
    alias = unique_alias()
    tradewire.feeds({"trade": publish_seed(site, seed_text)})
    tradewire.env.update({"TRADEWIRE_ES_URL": f"http://127.0.0.1:{_closed_port()}", "TRADEWIRE_ES_INDEX": alias})
    first = tradewire.run("run-once")
    assert first.returncode == 1
    assert "1 new" in first.stdout
    assert "1 spooled and kept until" in first.stdout and "unreachable" in first.stdout

    tradewire.env["TRADEWIRE_ES_URL"] = elasticsearch_url
    try:
        second = tradewire.run("run-once", check=True)
        assert "0 new" in second.stdout and "1 written" in second.stdout
        assert tradewire.json("search", '"rare earth"')["total"] == 1
        assert tradewire.json("index", "status")["spooled"] == 0
    finally:
        drop_alias(elasticsearch_url, alias)


def test_a_search_before_the_elasticsearch_index_exists_says_it_is_empty_and_creates_nothing(
    tradewire: Tradewire, elasticsearch_url: str,
) -> None:
    alias = unique_alias()
    tradewire.env.update({"TRADEWIRE_ES_URL": elasticsearch_url, "TRADEWIRE_ES_INDEX": alias})
    result = tradewire.run("search", "sanctions")
    assert result.returncode == 0, result.stderr
    assert "0 articles" in result.stdout
    assert "is empty: fill it with `tradewire run-once`" in result.stderr and "Traceback" not in result.stderr
    assert not Elasticsearch(elasticsearch_url).indices.exists_alias(name=alias)

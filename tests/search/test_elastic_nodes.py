"""tradewire on a list of Elasticsearch nodes: a node that does not answer is passed over, replicas follow the
number of data nodes unless set, and the health of tradewire's own indices reaches /healthz."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest
from elasticsearch import Elasticsearch

from tests.search.test_backend_contract import DOCUMENTS
from tests.support.cli import Tradewire
from tests.support.elastic import drop_alias, fresh_backend, unique_alias
from tests.support.receivers import free_port
from tests.support.service import Served
from tradewire.search.query import parse_query
from tradewire.search.results import SearchRequest


def test_a_node_that_does_not_answer_is_passed_over(elasticsearch_url: str) -> None:
    dead = f"http://127.0.0.1:{free_port()}"
    with fresh_backend(f"{dead}, {elasticsearch_url}") as backend:
        report = backend.index(DOCUMENTS)
        backend.refresh()
        assert sorted(report.indexed) == sorted(d.id for d in DOCUMENTS)
        for _ in range(6):  # the client takes the nodes in turn: each request meets the dead one sooner or later
            assert backend.search(SearchRequest(query=parse_query("tag:sanctions"))).total > 0
            assert backend.count() == len(DOCUMENTS)


def test_replicas_follow_the_data_nodes_unless_set(elasticsearch_url: str) -> None:
    with fresh_backend(elasticsearch_url) as single:
        settings = Elasticsearch(elasticsearch_url).indices.get_settings(index=single.current_index())
        assert next(iter(settings.values()))["settings"]["index"]["number_of_replicas"] == "0"  # one data node
        assert single.health() == "green" and single.status()["cluster_health"] == "green"
    with fresh_backend(elasticsearch_url, replicas=1) as replicated:
        assert replicated.health() == "yellow", "a replica a single node cannot hold is unassigned"


@pytest.fixture
def yellow_service(tradewire: Tradewire, elasticsearch_url: str):  # type: ignore[no-untyped-def]
    alias = unique_alias()
    tradewire.write("feeds.yaml", {"feeds": []})
    tradewire.env.update({"TRADEWIRE_ES_URL": elasticsearch_url, "TRADEWIRE_ES_INDEX": alias,
                          "TRADEWIRE_ELASTICSEARCH__REPLICAS": "1"})
    served = Served(tradewire).start()
    try:
        yield served
    finally:
        served.stop()
        drop_alias(elasticsearch_url, alias)


def test_healthz_says_degraded_while_the_index_is_yellow(yellow_service: Served) -> None:
    with pytest.raises(urllib.error.HTTPError) as answer:
        urllib.request.urlopen(yellow_service.url + "/healthz", timeout=10)
    report = json.loads(answer.value.read())
    assert answer.value.code == 503 and report["status"] == "degraded" and report["index_health"] == "yellow"
    assert report["index_reachable"] is True

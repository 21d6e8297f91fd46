"""The backend contract (tests/search/test_backend_contract.py) on the three-node cluster: the subset whose
answer the cluster computes differently from one node.

Here the index has three shards with a replica each, so every search, count and facet is gathered from
shards on three nodes and merged (terms and date histograms summed across shards, search_after pages sorted
across them, relevance scored per shard), and every write goes to a primary and its replica on another node.
Left out, because the cluster has no part in their answer: the made-up cursors (refused before any request),
the escaping of highlighted snippets (done in Python on the hit), the alert matcher's agreement (the matcher
runs in process; the result sets it is compared with are checked here), and the Elasticsearch-only checks
of concurrent bulk streams and the reindex alias swap under searches, which test the client side.
The read-only checks share one loaded index (the module's); the ones that write get a fresh one each.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from tests.search import test_backend_contract as contract
from tests.support.cluster import Cluster
from tests.support.elastic import fresh_backend
from tradewire.search.backends.elastic import ElasticsearchBackend

SHARDS = 3


def _loaded(cluster: Cluster) -> Iterator[ElasticsearchBackend]:
    with fresh_backend(cluster.url, shards=SHARDS) as backend:
        assert backend.client.indices.get_settings(index=backend.alias)[backend.current_index()]["settings"]["index"][
            "number_of_replicas"] == "1", "one replica when the cluster has more than one data node"
        report = backend.index(contract.DOCUMENTS)
        assert sorted(report.indexed) == sorted(contract.ALL) and not report.failed
        backend.refresh()
        yield backend


@pytest.fixture(scope="module")
def shared(cluster: Cluster) -> Iterator[ElasticsearchBackend]:
    yield from _loaded(cluster)


@pytest.fixture
def own(cluster: Cluster) -> Iterator[ElasticsearchBackend]:
    yield from _loaded(cluster)


@pytest.mark.parametrize("query", list(contract.EXPECTED))
def test_result_sets(shared: ElasticsearchBackend, query: str) -> None:
    contract.test_result_sets(shared, query)


READ_ONLY = [
    contract.test_facet_counts,
    contract.test_facets_follow_the_query,
    contract.test_date_order_and_cursor_pages_walk_everything_once,
    contract.test_relevance_pages_cover_the_result_set,
    contract.test_get_returns_the_whole_document,
]
WRITING = [
    contract.test_a_lifted_measure_is_found_as_lifted_and_never_as_taken,
    contract.test_update_replaces_and_delete_removes,
    contract.test_reindex_keeps_everything_searchable,
]


@pytest.mark.parametrize("check", READ_ONLY, ids=lambda check: check.__name__)
def test_read_only_contract(shared: ElasticsearchBackend, check: Callable[[ElasticsearchBackend], None]) -> None:
    check(shared)


@pytest.mark.parametrize("check", WRITING, ids=lambda check: check.__name__)
def test_writing_contract(own: ElasticsearchBackend, check: Callable[[ElasticsearchBackend], None]) -> None:
    check(own)

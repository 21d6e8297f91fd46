"""tradewire on a three-node cluster while nodes go away: one killed with SIGKILL mid-ingest and brought back,
then all three restarted one by one. Each time: every article indexed once, every story alerted once, searches
answering throughout (a shard short is said, never hidden), and the cluster green again at the end."""

from __future__ import annotations

from tests.cluster.disruption import PROBE_DOCUMENTS, Ingest, ingesting
from tests.support.cli import Tradewire
from tests.support.cluster import Cluster
from tests.support.service import wait_for
from tradewire.ingest.demo.site import LocalSite


def test_a_node_killed_mid_ingest_loses_and_repeats_nothing(cluster: Cluster, site: LocalSite, tradewire: Tradewire) -> None:
    with ingesting(cluster, site, tradewire, first_wave=300) as ingest:
        ingest.wait_indexed(100, "before the kill")
        cluster.wait_for_green()  # see the rolling restart
        victim = cluster.node_holding_primary(ingest.current_index())
        before = ingest.watch.mark()
        cluster.kill(victim)
        ingest.wire.publish(350)
        ingest.wait_indexed(len(ingest.wire.pages), "with a node down")
        during = ingest.watch.mark()
        ingest.wire.publish(350)
        cluster.start_node(victim)
        cluster.wait_for_green()
        ingest.check_everything_arrived_once()

        while_down = ingest.watch.probes[before[1]:during[1]]
        assert any(answer.partial and answer.total < PROBE_DOCUMENTS for answer in while_down), while_down
        assert all(answer.partial for answer in while_down if answer.total is not None and answer.total < PROBE_DOCUMENTS)
        assert "degraded" in ingest.watch.health
        _whole_again(ingest)


def test_a_rolling_restart_during_ingest_loses_and_repeats_nothing(cluster: Cluster, site: LocalSite, tradewire: Tradewire) -> None:
    with ingesting(cluster, site, tradewire, first_wave=100) as ingest:
        # The index is created by the service's first write. A node stopped before the new index's replicas
        # have started can take the only started copy of a shard with it: that shard is red, and writes to
        # it wait, until that node is back (Elasticsearch's behaviour for a new index; once green, any one
        # node may go).
        ingest.wait_indexed(1, "before the first restart")
        cluster.wait_for_green()
        for node in (1, 2, 3):
            cluster.stop_node(node)  # the previous wave may still be on its way in
            ingest.wire.publish(150)
            ingest.wait_indexed(len(ingest.wire.pages), f"while node-{node} is down")
            ingest.wire.publish(150)
            cluster.start_node(node)  # this wave comes in while the node rejoins and its shards recover
            cluster.wait_for_green()
        ingest.check_everything_arrived_once()
        assert len(ingest.wire.pages) == 1000
        _whole_again(ingest)


def _whole_again(ingest: Ingest) -> None:
    """Searches whole again, and the service healthy."""
    wait_for(lambda: (last := ingest.watch.probes[-1]).total == PROBE_DOCUMENTS and not last.partial, timeout=30,
             what="the probe index answering from all its shards")
    wait_for(lambda: ingest.watch.searches[-1].total == len(ingest.wire.pages) and not ingest.watch.searches[-1].partial,
             timeout=30, what="the service's search counting every article")
    wait_for(lambda: (ingest.served.get("/healthz", check=False) or {}).get("status") == "ok", timeout=60,
             what="/healthz ok")

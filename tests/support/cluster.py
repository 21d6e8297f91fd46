"""A real three-node Elasticsearch cluster for tests (deploy/local-es/run with three nodes): started once per
session in its own HOME on ports 9400+, stopped after; its nodes killed, stopped and started by the tests."""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from elasticsearch import Elasticsearch

from tests.support.elastic import LOCAL_ES, REPO

NODES = 3
DEFAULT_HOME = REPO / ".local-es-cluster"
DEFAULT_PORT = 9400


@dataclass(frozen=True)
class Cluster:
    """The cluster's node URLs and the run script's HOME, to act on one node."""

    urls: tuple[str, ...]
    home: Path

    @property
    def url(self) -> str:
        """All the nodes, as TRADEWIRE_ES_URL takes them."""
        return ",".join(self.urls)

    def run(self, *args: str, timeout: float = 300) -> str:
        done = self._invoke(*args, timeout=timeout)
        if done.returncode != 0:
            raise AssertionError(f"deploy/local-es/run {' '.join(args)} exited {done.returncode}:\n{done.stderr}")
        return done.stdout.strip()

    def running(self) -> bool:
        """Every node up and the cluster yellow or green."""
        return self._invoke("status", timeout=60).returncode == 0

    def _invoke(self, *args: str, timeout: float) -> subprocess.CompletedProcess[str]:
        environment = {**os.environ, "TRADEWIRE_LOCAL_ES_HOME": str(self.home),
                       "TRADEWIRE_LOCAL_ES_PORT": str(urlsplit(self.urls[0]).port)}
        return subprocess.run([LOCAL_ES, *args], env=environment, capture_output=True, text=True, timeout=timeout, check=False)

    def pid(self, node: int) -> int:
        return int(self.run("pid", str(node)))

    def kill(self, node: int) -> None:
        """kill -9: no shutdown hook, no goodbye to the master; the node's shards fail over."""
        pid = self.pid(node)
        os.kill(pid, 9)
        while os.path.exists(f"/proc/{pid}") and _state(pid) != "Z":
            time.sleep(0.05)

    def stop_node(self, node: int) -> None:
        self.run("stop-node", str(node))

    def start_node(self, node: int) -> None:
        """Back on its data; returns once it has joined (its shards may still be recovering)."""
        self.run("start-node", str(node))

    def client(self) -> Elasticsearch:
        return Elasticsearch(list(self.urls), request_timeout=30, retry_on_timeout=True, max_retries=len(self.urls))

    def wait_for_green(self, timeout: str = "120s") -> dict[str, object]:
        with self.client() as client:
            health = client.cluster.health(wait_for_status="green", wait_for_nodes=str(NODES), timeout=timeout)
        if health["status"] != "green" or health["number_of_nodes"] != NODES:
            raise AssertionError(f"the cluster is not green with {NODES} nodes after {timeout}: {dict(health)}")
        return dict(health)

    def node_holding_primary(self, index: str, shard: int = 0) -> int:
        """The number (1..3) of the node holding that shard's primary copy."""
        with self.client() as client:
            rows = client.cat.shards(index=index, format="json", h="shard,prirep,state,node")
        names = [row["node"] for row in rows if row["shard"] == str(shard) and row["prirep"] == "p" and row["state"] == "STARTED"]
        if len(names) != 1:
            raise AssertionError(f"no started primary for shard {shard} of {index}: {rows}")
        return int(names[0].removeprefix("node-"))


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "Z"


@contextmanager
def local_cluster() -> Iterator[Cluster]:
    """TRADEWIRE_TEST_ES_CLUSTER_URLS if set (its HOME: TRADEWIRE_TEST_ES_CLUSTER_HOME or the default), else the
    three nodes started here and stopped after. A cluster that cannot start is an error, never a skip."""
    home = Path(os.environ.get("TRADEWIRE_TEST_ES_CLUSTER_HOME", DEFAULT_HOME))
    given = os.environ.get("TRADEWIRE_TEST_ES_CLUSTER_URLS")
    if given:
        yield Cluster(tuple(url.strip() for url in given.split(",") if url.strip()), home)
        return
    starting = Cluster((f"http://127.0.0.1:{DEFAULT_PORT}",), home)
    already_running = starting.running()
    urls = starting.run("start", "--nodes", str(NODES), timeout=1200).splitlines()[-1]
    cluster = Cluster(tuple(urls.split(",")), home)
    try:
        yield cluster
    finally:
        if not already_running:
            cluster.run("stop", timeout=120)

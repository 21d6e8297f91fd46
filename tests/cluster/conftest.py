"""The three-node cluster, once per session, and one test module at a time on it.

Its tests stop and kill the cluster's nodes, so two modules must never run on it at once from two xdist
workers: each module holds an exclusive lock on a file in the cluster's HOME while it runs (pytest-xdist's
`loadgroup` cannot keep them on one worker under pytest 9: it renames `Item._nodeid`, which pytest 9 no
longer reads). A worker that waits for the lock runs nothing else meanwhile.
"""

from __future__ import annotations

import fcntl
from collections.abc import Iterator

import pytest

from tests.support.cluster import Cluster, local_cluster


@pytest.fixture(scope="session")
def cluster() -> Iterator[Cluster]:
    with local_cluster() as started:
        yield started


@pytest.fixture(scope="module", autouse=True)
def cluster_to_this_module(cluster: Cluster) -> Iterator[None]:
    cluster.home.mkdir(parents=True, exist_ok=True)
    with open(cluster.home / "tests.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)

"""The three-node cluster, once per session, and every test here on one xdist worker: they stop its nodes."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.cluster import Cluster, local_cluster


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for test in items:
        if "tests/cluster/" in test.nodeid:
            test.add_marker(pytest.mark.xdist_group("es-cluster"))


@pytest.fixture(scope="session")
def cluster() -> Iterator[Cluster]:
    with local_cluster() as started:
        yield started

"""The three-node cluster, once per session (its tests are one xdist group: they stop and kill its nodes, so
they run one after another on one worker under `--dist loadgroup`)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.cluster import Cluster, local_cluster


@pytest.fixture(scope="session")
def cluster() -> Iterator[Cluster]:
    with local_cluster() as started:
        yield started

"""The real local Elasticsearch node for tests: started once per session, one fresh alias per test."""

from __future__ import annotations

import os
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from elasticsearch import Elasticsearch, NotFoundError

from tradewire.search.backends.elastic import ElasticsearchBackend
from tradewire.search.backends.options import ElasticsearchOptions

REPO = Path(__file__).resolve().parents[2]
LOCAL_ES = REPO / "deploy" / "local-es" / "run"


@contextmanager
def local_node() -> Iterator[str]:
    """The URL of a running node: TRADEWIRE_TEST_ES_URL if set, else deploy/local-es started (and stopped) here.

    A node that cannot start is an error with the node's log, never a skip.
    """
    url = os.environ.get("TRADEWIRE_TEST_ES_URL")
    if url:
        yield url
        return
    already_running = subprocess.run([LOCAL_ES, "status"], capture_output=True).returncode == 0
    started = subprocess.run([LOCAL_ES, "start"], capture_output=True, text=True, timeout=1200)
    if started.returncode != 0:
        raise RuntimeError(f"the local Elasticsearch node did not start (deploy/local-es/run start):\n{started.stderr}")
    try:
        yield started.stdout.strip().splitlines()[-1]
    finally:
        if not already_running:
            subprocess.run([LOCAL_ES, "stop"], capture_output=True, timeout=120)


@contextmanager
def fresh_backend(url: str, **options: Any) -> Iterator[ElasticsearchBackend]:
    """An Elasticsearch backend (with `options`) on a fresh alias of the node, ready; all it made dropped after."""
    alias = unique_alias()
    backend = ElasticsearchBackend(ElasticsearchOptions(url=url, index=alias, **options))
    backend.ensure_ready()
    try:
        yield backend
    finally:
        backend.close()
        drop_alias(url, alias)


def unique_alias() -> str:
    return f"test-{uuid.uuid4().hex[:12]}"


def drop_alias(url: str, alias: str) -> None:
    """Delete everything a test created under `alias` (indices by name: the node refuses wildcard deletes)."""
    client = Elasticsearch([node.strip() for node in url.split(",")])
    try:
        try:
            names = list(client.indices.get(index=f"{alias}-*"))
        except NotFoundError:
            names = []
        for name in names:
            client.indices.delete(index=name)
        try:
            client.indices.delete_index_template(name=f"{alias}-template")
        except NotFoundError:
            pass
    finally:
        client.close()


def copies_by_id(url: str, alias: str) -> dict[str, list[str]]:
    """Each id behind `alias` with the indices that hold it, read straight from the node after a refresh."""
    client = Elasticsearch([node.strip() for node in url.split(",")])
    try:
        client.indices.refresh(index=alias)
        hits = client.search(index=alias, query={"match_all": {}}, source=False, size=10_000)["hits"]["hits"]
    finally:
        client.close()
    copies: dict[str, list[str]] = {}
    for hit in hits:
        copies.setdefault(hit["_id"], []).append(hit["_index"])
    return copies

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.cli import Tradewire
from tests.support.elastic import drop_alias, fresh_backend, local_node, unique_alias
from tradewire.ingest.demo.site import LocalSite
from tradewire.search.backends import IndexBackend, SqliteBackend

SEED_ARTICLE = Path(__file__).resolve().parents[1] / "ingest" / "demo" / "articles" / "china-us-talks.txt"


@pytest.fixture
def site() -> Iterator[LocalSite]:
    with LocalSite() as server:
        yield server


@pytest.fixture
def tradewire(tmp_path: Path) -> Tradewire:
    installation = Tradewire(tmp_path)
    installation.settings()
    return installation


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED_ARTICLE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def elasticsearch_url() -> Iterator[str]:
    with local_node() as url:
        yield url


@pytest.fixture(params=["sqlite", "elasticsearch"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[IndexBackend]:
    """Each index backend in turn, empty and ready."""
    if request.param == "sqlite":
        embedded = SqliteBackend(tmp_path / "index.db")
        embedded.ensure_ready()
        yield embedded
        embedded.close()
        return
    with fresh_backend(request.getfixturevalue("elasticsearch_url")) as elastic:
        yield elastic


@pytest.fixture(params=["sqlite", "elasticsearch"])
def tradewire_on(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Tradewire]:
    """An installation on each index backend in turn (TRADEWIRE_ES_URL set for Elasticsearch)."""
    installation = Tradewire(tmp_path)
    installation.settings()
    if request.param == "sqlite":
        yield installation
        return
    url = request.getfixturevalue("elasticsearch_url")
    alias = unique_alias()
    installation.env.update({"TRADEWIRE_ES_URL": url, "TRADEWIRE_ES_INDEX": alias})
    try:
        yield installation
    finally:
        drop_alias(url, alias)

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from ingest.demo.site import LocalSite
from tests.support.cli import Tradewire

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

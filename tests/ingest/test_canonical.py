"""Canonical URLs are document identity: tracking removed, relative canonicals resolved, other sites' refused."""

from __future__ import annotations

import pytest

from tradewire.ingest.articles.canonical import canonical_url


@pytest.mark.parametrize(
    ("page", "declared", "identity"),
    [
        ("https://www.reuters.com/a?utm_source=rss#top", None, "https://www.reuters.com/a"),
        ("https://www.reuters.com/a", "/world/a-story?utm_medium=feed", "https://www.reuters.com/world/a-story"),
        ("https://amp.reuters.com/a", "https://www.reuters.com/world/a", "https://www.reuters.com/world/a"),
        ("HTTPS://WWW.Reuters.com:443/a?id=7&fbclid=x", None, "https://www.reuters.com/a?id=7"),
        # A page may not claim another publisher's article (its id and its source filter).
        ("https://copycat.example/a", "https://www.reuters.com/world/a", "https://copycat.example/a"),
        ("https://www.reuters.com/a", "javascript:alert(1)", "https://www.reuters.com/a"),
        ("https://www.reuters.com/a", "https://www.reuters.com:99999/b", "https://www.reuters.com/a"),
    ],
)
def test_canonical_identity(page: str, declared: str | None, identity: str) -> None:
    assert canonical_url(page, declared) == identity

"""Feed discovery: the feeds a site's page announces (<link rel="alternate">), else common feed paths."""

from __future__ import annotations

import lxml.html
from lxml.etree import ParserError

_FEED_TYPES = {"application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+json"}
COMMON_PATHS = ("/feed", "/rss", "/rss.xml", "/feed.xml", "/atom.xml", "/index.xml", "/feeds/posts/default")


def announced_feeds(html: bytes, base_url: str) -> list[tuple[str, str | None]]:
    """(url, title) of each feed the page links to, in page order."""
    try:
        document = lxml.html.document_fromstring(html, base_url=base_url)
    except (ParserError, ValueError):
        return []
    document.make_links_absolute(base_url, resolve_base_href=True)
    found: list[tuple[str, str | None]] = []
    for link in document.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        kind = (link.get("type") or "").lower().split(";")[0].strip()
        href = link.get("href")
        if "alternate" in rel and kind in _FEED_TYPES and href and href not in [url for url, _ in found]:
            found.append((href, link.get("title")))
    return found

"""OPML import and export of the feed list."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone
from xml.sax.saxutils import quoteattr

from lxml import etree
from pydantic import ValidationError

from tradewire.ingest.feeds.registry import NAME_PATTERN, FeedConfig


class OpmlError(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class OpmlFeeds:
    feeds: list[FeedConfig]
    skipped: list[str]  # outlines that are not usable feeds, each with the reason


def read_opml(data: bytes) -> OpmlFeeds:
    """Feeds from an OPML document (every outline with an xmlUrl, nested categories become tags); an outline
    whose URL is not an http(s) feed is skipped with its reason, the rest are read."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        raise OpmlError(f"not valid OPML: {error}") from None
    if root.tag != "opml":
        raise OpmlError(f"not an OPML document (root element <{root.tag}>)")
    feeds: list[FeedConfig] = []
    skipped: list[str] = []
    names: set[str] = set()
    for outline in root.iter("outline"):
        url = outline.get("xmlUrl")
        if not url:
            continue
        title = outline.get("title") or outline.get("text") or url
        categories = [
            parent.get("text") or parent.get("title") for parent in outline.iterancestors("outline")
        ]
        name = _unique_name(_name_from(title), names)
        try:
            own = [part.strip().strip("/") for part in (outline.get("category") or "").split(",")]  # OPML 2.0
            tags = list(dict.fromkeys(c for c in [*reversed(categories), *own] if c))
            feed = FeedConfig(name=name, url=url, title=title, tags=tags)
        except ValidationError as error:
            skipped.append(f"{title!r}: {error.errors()[0]['msg'].removeprefix('Value error, ')}")
            continue
        names.add(name)
        feeds.append(feed)
    return OpmlFeeds(feeds, skipped)


def write_opml(feeds: list[FeedConfig], *, title: str = "tradewire feeds") -> str:
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<opml version="2.0">',
        f"  <head><title>{_escape(title)}</title>"
        f"<dateCreated>{datetime.now(timezone.utc):%a, %d %b %Y %H:%M:%S} GMT</dateCreated></head>",
        "  <body>",
    ]
    for feed in feeds:
        label = feed.title or feed.name
        category = f" category={quoteattr(','.join(feed.tags))}" if feed.tags else ""
        lines.append(
            f"    <outline type=\"rss\" text={quoteattr(label)} title={quoteattr(label)} xmlUrl={quoteattr(feed.url)}{category}/>"
        )
    lines += ["  </body>", "</opml>", ""]
    return "\n".join(lines)


def _name_from(title: str) -> str:
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", title).strip("-._").lower()[:60] or "feed"
    return name if re.match(NAME_PATTERN, name) else "feed"


def _unique_name(name: str, taken: set[str]) -> str:
    candidate, counter = name, 2
    while candidate in taken:
        candidate, counter = f"{name}-{counter}", counter + 1
    return candidate


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

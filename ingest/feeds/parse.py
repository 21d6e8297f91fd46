"""Feed bytes -> entries, with feedparser (RSS 0.9x/1.0/2.0, Atom, RDF), and a clear error for what is not a feed."""

from __future__ import annotations

import hashlib
import io
import re
import time
import xml.parsers.expat
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

import feedparser
import lxml.html
from lxml.etree import ParserError, XMLSyntaxError

from tradewire.ingest.errors import FeedParseError
from tradewire.ingest.fetch.urls import web_url

# Relative links are resolved by feedparser; HTML sanitising is not needed (entries are turned into text).
feedparser.SANITIZE_HTML = False
feedparser.RESOLVE_RELATIVE_URIS = True

MAX_TITLE_CHARS = 1000
MAX_TEXT_CHARS = 200_000
MAX_LINK_CHARS = 8000
_FUTURE_TOLERANCE = timedelta(days=1)
_ENTITY_DECLARATION = re.compile(rb"<!ENTITY", re.IGNORECASE)
_HTML_START = re.compile(rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body)\b", re.IGNORECASE | re.DOTALL)
_FIRST_ENTRY = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(?:item|entry)[\s/>]")


@dataclass(frozen=True, slots=True)
class FeedEntry:
    key: str
    link: str | None
    title: str
    text: str
    published: datetime | None
    author: str | None
    notes: tuple[str, ...] = ()
    # Changes when the publisher updates the entry (its <updated> time or its title): the page is read again.
    version: str = ""


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    format: str
    title: str | None
    link: str | None
    entries: list[FeedEntry]
    warnings: list[str] = field(default_factory=list)


def entries_digest(body: bytes) -> str:
    """A hash of the feed from its first item or entry on: the same digest means the same entries.

    Many servers regenerate a feed on every request (a new lastBuildDate, the same items) and send no
    validators; comparing this digest spares parsing such a feed when nothing in its entries changed.
    """
    first = _FIRST_ENTRY.search(body)
    return hashlib.sha256(memoryview(body)[first.start() if first else 0:]).hexdigest()


def parse_feed(
    body: bytes, *, url: str, content_type: str | None = None, now: datetime | None = None
) -> ParsedFeed:
    if not body.strip():
        raise FeedParseError("empty response body (expected an RSS or Atom feed)")
    head = body[:4096]
    if _declares_entities(body):
        raise FeedParseError("the feed declares XML entities in a DTD; refused (entity expansion and external entities)")
    if _HTML_START.match(head.lstrip(b"\xef\xbb\xbf")):
        kind = f" (content-type {content_type})" if content_type else ""
        raise FeedParseError(
            f"the URL serves an HTML page, not a feed{kind}; `tradewire feeds discover URL` finds a site's feeds"
        )
    headers = {"content-location": url}
    if content_type:
        headers["content-type"] = content_type
    # Always a stream: given bytes, feedparser would try them as a file name (a body of "/etc/passwd" would be read).
    parsed = feedparser.parse(io.BytesIO(body), response_headers=headers, sanitize_html=False)
    warnings: list[str] = []
    if not parsed.entries:
        if parsed.bozo:
            raise FeedParseError(f"malformed feed: {_bozo_message(parsed.bozo_exception)}")
        if not parsed.version:
            raise FeedParseError("not an RSS, Atom or RDF feed (no feed elements found)")
    elif parsed.bozo and not isinstance(parsed.bozo_exception, feedparser.CharacterEncodingOverride):
        warnings.append(f"feed is not well-formed ({_bozo_message(parsed.bozo_exception)}); entries were recovered")

    now = now or datetime.now(timezone.utc)
    entries: list[FeedEntry] = []
    keys: set[str] = set()
    duplicates = 0
    for raw in parsed.entries:
        entry = _entry(raw, now)
        if entry.key in keys:
            duplicates += 1
            continue
        keys.add(entry.key)
        entries.append(entry)
    if duplicates:
        warnings.append(f"{duplicates} entries repeat an earlier entry's id and were skipped")
    feed = parsed.get("feed", {})
    return ParsedFeed(
        format=parsed.version or "unknown",
        title=_clip(feed.get("title"), MAX_TITLE_CHARS),
        link=feed.get("link"),
        entries=entries,
        warnings=warnings,
    )


class _EntityDeclared(Exception):
    pass


class _RootReached(Exception):
    pass


def _declares_entities(body: bytes) -> bool:
    """Whether the feed declares an XML entity. Read with expat, the parser feedparser reads a well-formed feed with,
    up to the root element (where a DTD has ended): a DOCTYPE padded to any length is read whole, in any encoding expat
    knows, and a feed quoting a declaration in its text is not refused. A body expat cannot read up to its root
    is searched whole for a declaration instead."""
    parser = xml.parsers.expat.ParserCreate()

    def declared(*_: object) -> None:
        raise _EntityDeclared

    def rooted(*_: object) -> None:
        raise _RootReached

    parser.EntityDeclHandler = declared
    parser.StartElementHandler = rooted
    try:
        parser.Parse(body, True)
    except _EntityDeclared:
        return True
    except _RootReached:
        return False
    except (xml.parsers.expat.ExpatError, ValueError):  # not well-formed, or an encoding expat does not read
        pass
    return _ENTITY_DECLARATION.search(body) is not None or (
        b"\x00" in body and _ENTITY_DECLARATION.search(body.replace(b"\x00", b"")) is not None  # UTF-16 or UTF-32
    )


def _entry(raw: feedparser.FeedParserDict, now: datetime) -> FeedEntry:
    notes: list[str] = []
    link = (raw.get("link") or "").strip() or None
    if link is not None and (len(link) > MAX_LINK_CHARS or web_url(link) is None):
        notes.append(f"link {link[:200]!r} is not an http(s) URL; the entry's own text stands in")
        link = None
    title = _clip(_text(raw.get("title", "")), MAX_TITLE_CHARS) or ""
    if len(raw.get("title", "")) > MAX_TITLE_CHARS:
        notes.append(f"title cut to {MAX_TITLE_CHARS} characters")
    contents = [part.get("value", "") for part in raw.get("content", [])]
    text = _clip(_text(max(contents, key=len) if contents else raw.get("summary", "")), MAX_TEXT_CHARS) or ""
    # dict.get: feedparser's own lookup maps a missing published to updated with a deprecation warning.
    published = _date(dict.get(raw, "published_parsed") or dict.get(raw, "updated_parsed"))
    if published is None and (raw.get("published") or raw.get("updated")):
        notes.append(f"unparseable date {(raw.get('published') or raw.get('updated'))[:60]!r}")
    elif published is not None and published > now + _FUTURE_TOLERANCE:
        notes.append(f"date {published.isoformat()} is in the future; ignored")
        published = None
    key = (raw.get("id") or "").strip() or link or hashlib.sha256(f"{title}\n{text}".encode()).hexdigest()
    return FeedEntry(
        key=key[:2000], link=link, title=title, text=text, published=published,
        author=_clip(raw.get("author"), 300), notes=tuple(notes), version=_version(raw, title),
    )


def _version(raw: feedparser.FeedParserDict, title: str) -> str:
    """A digest of what says an entry was updated: its own update time (Atom <updated>; dict.get: not the
    published date feedparser would map in) and its title ("weighs sanctions" -> "imposes sanctions")."""
    updated = _date(dict.get(raw, "updated_parsed"))
    return hashlib.sha256(f"{updated.isoformat() if updated else ''}\n{title}".encode()).hexdigest()[:16]


def _text(value: str) -> str:
    if "<" not in value and "&" not in value:
        return " ".join(value.split())
    try:
        root = lxml.html.fragment_fromstring(value, create_parent="div")
    except (ParserError, XMLSyntaxError, ValueError):
        return " ".join(value.split())
    for element in root.iter("p", "br", "div", "li", "h1", "h2", "h3", "h4", "tr"):
        element.tail = "\n" + (element.tail or "")
    paragraphs = [" ".join(line.split()) for line in root.text_content().split("\n")]
    return "\n".join(line for line in paragraphs if line)


def _date(parsed: time.struct_time | None) -> datetime | None:
    if not parsed:
        return None
    try:
        return datetime(*parsed[:6], tzinfo=timezone.utc)
    except (TypeError, ValueError):
        return None


def _clip(value: str | None, limit: int) -> str | None:
    if value is None:
        return None
    return value[:limit]


def _bozo_message(error: BaseException | None) -> str:
    if error is None:
        return "unknown error"
    message = str(getattr(error, "getMessage", lambda: error)()) or type(error).__name__
    line = getattr(error, "getLineNumber", lambda: None)()
    return f"{message} at line {line}" if line else message

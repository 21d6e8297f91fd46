"""Feeds and pages for tests, written out in full so each test shows what the server sends."""

from __future__ import annotations

from datetime import datetime, timezone
from email.utils import format_datetime
from html import escape

from tradewire.ingest.demo.pages import PageArticle, render_page


def rss(items: list[dict[str, str]], title: str = "Test feed") -> str:
    """RSS 2.0 with one <item> per dict (title, link, guid, description, pubDate)."""
    rendered = []
    for item in items:
        fields = "".join(f"<{key}>{escape(value)}</{key}>" for key, value in item.items())
        rendered.append(f"<item>{fields}</item>")
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{escape(title)}</title>'
        f"<link>http://example.invalid/</link><description>test</description>{''.join(rendered)}</channel></rss>"
    )


def item(link: str, title: str, *, guid: str | None = None, description: str = "", published: datetime | None = None) -> dict[str, str]:
    published = published or datetime(2025, 6, 8, 8, 0, tzinfo=timezone.utc)
    return {
        "title": title, "link": link, "guid": guid or link, "description": description,
        "pubDate": format_datetime(published),
    }


def news_page(title: str, text: str, *, canonical: str, published: str = "2025-06-08T08:00:00+00:00", seed: int = 0) -> str:
    return render_page(
        PageArticle(
            title=title, text=text, author="Test Author", published=published, section="Trade",
            canonical_url=canonical, site_name="Test News",
        ),
        seed=seed,
    )

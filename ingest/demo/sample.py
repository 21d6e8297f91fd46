"""The demo's sample site: article pages and the RSS and Atom feeds that list them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime
from html import escape
from pathlib import Path

from ruamel.yaml import YAML

from tradewire.ingest.demo.pages import PageArticle, render_page
from tradewire.ingest.demo.site import LocalSite

ARTICLES_DIR = Path(__file__).parent / "articles"
SITE_NAME = "The Trade Ledger"


@dataclass(frozen=True)
class SampleArticle:
    slug: str
    title: str
    author: str
    published: datetime
    feed: str
    section: str
    text: str
    host: str

    @property
    def path(self) -> str:
        return f"/news/{self.slug}.html"


def sample_articles() -> list[SampleArticle]:
    catalogue = YAML(typ="safe").load((ARTICLES_DIR / "catalogue.yaml").read_text(encoding="utf-8"))
    articles = []
    for entry in catalogue["articles"]:
        source = entry.get("copy_of", entry["slug"])
        published = entry["published"]
        articles.append(SampleArticle(
            slug=entry["slug"], title=entry["title"], author=entry["author"],
            published=published if isinstance(published, datetime) else datetime.fromisoformat(str(published)),
            feed=entry["feed"], section=entry["section"],
            text=(ARTICLES_DIR / f"{source}.txt").read_text(encoding="utf-8"), host=entry.get("host", "127.0.0.1"),
        ))
    return articles


def publish(site: LocalSite, articles: list[SampleArticle]) -> dict[str, str]:
    """Serve every article page and one feed per feed name; returns feed name -> feed URL."""
    by_feed: dict[str, list[SampleArticle]] = {}
    for index, article in enumerate(articles):
        url = site.url(article.path, host=article.host)
        page = PageArticle(
            title=article.title, text=article.text, author=article.author, published=article.published.isoformat(),
            section=article.section, canonical_url=url + "?utm_source=rss&utm_medium=feed", site_name=SITE_NAME,
        )
        site.put(article.path, render_page(page, seed=index))
        by_feed.setdefault(article.feed, []).append(article)
    urls = {}
    for position, (name, members) in enumerate(sorted(by_feed.items())):
        if position % 2 == 0:
            urls[name] = site.put(f"/feeds/{name}.xml", rss_feed(site, name, members), "application/rss+xml")
        else:
            urls[name] = site.put(f"/feeds/{name}.atom", atom_feed(site, name, members), "application/atom+xml")
    return urls


def rss_feed(site: LocalSite, name: str, articles: list[SampleArticle]) -> str:
    items = "".join(
        f"<item><title>{escape(a.title)}</title><link>{escape(site.url(a.path, a.host))}?utm_source=rss</link>"
        f"<guid isPermaLink=\"false\">{name}-{a.slug}</guid><pubDate>{format_datetime(a.published)}</pubDate>"
        f"<description>{escape(a.text.split(chr(10))[0])}</description></item>"
        for a in articles
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{SITE_NAME}: {name}</title>'
        f"<link>{site.url('/')}</link><description>Sample feed</description>{items}</channel></rss>"
    )


def atom_feed(site: LocalSite, name: str, articles: list[SampleArticle]) -> str:
    entries = "".join(
        f"<entry><title>{escape(a.title)}</title><link href=\"{escape(site.url(a.path, a.host))}\"/>"
        f"<id>urn:demo:{name}:{a.slug}</id><updated>{a.published.isoformat()}</updated>"
        f"<author><name>{escape(a.author)}</name></author><summary>{escape(a.text.split(chr(10))[0])}</summary></entry>"
        for a in articles
    )
    updated = max(a.published for a in articles).isoformat()
    return (
        f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>{SITE_NAME}: {name}</title><id>urn:demo:{name}</id><updated>{updated}</updated>{entries}</feed>"
    )

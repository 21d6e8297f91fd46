"""Property-based: any bytes as a feed, any entry into the pipeline's conversion: a result or a clear error."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tradewire.enrich import Enricher
from tradewire.ingest.articles.process import PageJob, process_page
from tradewire.ingest.configuration import load_config
from tradewire.ingest.errors import FeedParseError
from tradewire.ingest.feeds.parse import parse_feed

FRAGMENTS = [
    '<?xml version="1.0"?>', '<?xml version="1.0" encoding="gb18030"?>', "<rss version=\"2.0\">", "</rss>", "<channel>",
    "</channel>", "<item>", "</item>", "<title>", "</title>", "<link>", "</link>", "<guid>", "</guid>",
    "<description>", "</description>", "<pubDate>", "</pubDate>", "<feed xmlns=\"http://www.w3.org/2005/Atom\">",
    "</feed>", "<entry>", "</entry>", "<![CDATA[", "]]>", "&amp;", "&bogus;", "&#x1F600;", "&#0;", "<!DOCTYPE x>",
    "http://a.example/1", "javascript:alert(1)", "Mon, 09 Jun 2025 10:00:00 GMT", "2099-01-01T00:00:00Z",
    "制裁", "sanctions", " ", "\n", "\x00", "\ufeff", "<script>x</script>", "<a href='/rel'>x</a>",
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_any_bytes_give_a_feed_or_a_parse_error(body: bytes) -> None:
    try:
        parsed = parse_feed(body, url="http://feed.example/rss", content_type=None)
    except FeedParseError as error:
        assert str(error)
        return
    for entry in parsed.entries:
        assert entry.key and len(entry.title) <= 1000


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=40).map("".join), st.sampled_from([None, "application/rss+xml", "text/html", "text/plain; charset=latin-1"]))
def test_feed_like_text_gives_a_feed_or_a_parse_error(text: str, content_type: str | None) -> None:
    try:
        parse_feed(text.encode("utf-8", "surrogatepass"), url="http://feed.example/rss", content_type=content_type)
    except FeedParseError as error:
        assert str(error)


@pytest.fixture(scope="module")
def enricher() -> Enricher:
    config = load_config(None)
    return Enricher(config.taxonomy, config.gazetteer)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(
    title=st.text(max_size=300),
    text=st.text(max_size=3000),
    html=st.one_of(st.none(), st.binary(max_size=3000), st.text(max_size=3000).map(lambda t: t.encode("utf-8", "surrogatepass"))),
    published=st.one_of(st.none(), st.datetimes(timezones=st.just(timezone.utc))),
)
def test_any_entry_becomes_a_document(enricher: Enricher, title: str, text: str, html: bytes | None,
                                      published: datetime | None) -> None:
    page = process_page(PageJob(url="http://news.example/a", html=html, entry_title=title, entry_text=text,
                                entry_published=published, entry_author=None), enricher)
    assert page.extraction in ("article", "feed")
    for tag in page.enrichment.tags:
        for evidence in tag.evidence:
            assert page.text[evidence.start : evidence.end] == evidence.text
    assert len(page.signature) == 64 * 4

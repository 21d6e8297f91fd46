"""Hostile feeds and pages: each ends with a clear, specific error on its feed or article, and the rest completes.

One ingestion cycle runs over a good feed and every hostile one (served by a local site), then each case
is checked on its own: the error `feeds status` shows, what was indexed, and that the good feed's article
is in the index.
"""

from __future__ import annotations

import html
import resource
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from tests.hostile import behaviours
from tests.support.cli import Tradewire
from tests.support.feeds import item, news_page, rss
from tradewire.ingest.demo.site import LocalSite
from tradewire.ingest.errors import FeedParseError
from tradewire.ingest.feeds.parse import parse_feed

GOOD_TEXT = ("The U.S. Treasury imposed sanctions on three Chinese refiners on Tuesday, freezing their assets. "
             "Beijing's Ministry of Commerce said it opposed the unilateral sanctions. ") * 3
SECRET_MARKER = "TOP-SECRET-MARKER-7f3a"
RSS_HEAD = '<?xml version="1.0" encoding="{encoding}"?><rss version="2.0"><channel><title>{title}</title><link>http://x.invalid/</link>'


@dataclass
class Cycle:
    site: LocalSite
    tradewire: Tradewire
    output: str
    returncode: int
    status: dict[str, dict[str, Any]]
    max_rss_mb: float
    polled_at: datetime  # when run-once started; schedules are measured from here

    @property
    def articles_line(self) -> str:
        """run-once's count of articles (new, failed, to retry, ...) and its notes on them, for a failure's message."""
        return "\n".join(line for line in self.output.splitlines() if line.startswith(("Articles:", "  hostile-pages:", "  bad-links:")))

    def search(self, query: str) -> dict[str, Any]:
        return self.tradewire.json("search", query, "--limit", "100")

    def show(self, article_id: str) -> dict[str, Any]:
        return self.tradewire.json("show", article_id)


def _feed(entries: list[str], *, encoding: str = "utf-8", title: str = "hostile") -> bytes:
    return (RSS_HEAD.format(encoding=encoding, title=title) + "".join(entries) + "</channel></rss>").encode(encoding)


def _entry(title: str, link: str | None, *, guid: str | None = None, description: str = "", date: str | None = None) -> str:
    parts = [f"<title>{html.escape(title)}</title>"]
    if link:
        parts.append(f"<link>{html.escape(link)}</link>")
    if guid:
        parts.append(f'<guid isPermaLink="false">{html.escape(guid)}</guid>')
    parts.append(f"<description>{html.escape(description)}</description>")
    parts.append(f"<pubDate>{date or 'Mon, 09 Jun 2025 10:00:00 GMT'}</pubDate>")
    return "<item>" + "".join(parts) + "</item>"


def _build(site: LocalSite, secret_file: Path) -> dict[str, str]:
    feeds: dict[str, str] = {}

    def feed(name: str, body: bytes | str, content_type: str = "application/rss+xml", **options: Any) -> None:
        feeds[name] = site.put(f"/feeds/{name}", body, content_type, **options)

    def handled(name: str, handler: behaviours.Handler) -> None:
        site.handlers[f"/feeds/{name}"] = handler
        feeds[name] = site.url(f"/feeds/{name}")

    good_page = site.url("/pages/good.html")
    site.put("/pages/good.html", news_page("Treasury sanctions refiners", GOOD_TEXT, canonical=good_page))
    feed("good", rss([item(good_page, "Treasury sanctions refiners")]))

    feed("malformed-xml", '<?xml version="1.0"?><rss version="2.0"><channel><title>Bad &bogus; feed</title>')
    feed("html-not-feed", "<!DOCTYPE html><html><head><title>Home</title></head><body><p>Welcome</p></body></html>",
         "text/html; charset=utf-8")
    feed("empty-body", b"")
    feed("wrong-content-type", _feed([_entry("Wrong type", None, guid="wt-1", description="Tariffs rose on steel imports by 25%.")]),
         "application/octet-stream")
    site.handlers["/feeds/no-content-type"] = behaviours.respond(
        200, _feed([_entry("No type", None, guid="nt-1", description="Tariffs on cars rose by 10% on imports.")]))
    feeds["no-content-type"] = site.url("/feeds/no-content-type")

    laughs = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
              '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
              '<rss version="2.0"><channel><title>&lol3;</title></channel></rss>')
    feed("billion-laughs", laughs)
    xxe = (f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY secret SYSTEM "file://{secret_file}">]>'
           '<rss version="2.0"><channel><title>x</title><item><title>&secret;</title><description>&secret;</description>'
           '<guid>xxe-1</guid></item></channel></rss>')
    feed("xxe-local-file", xxe)
    # The same declaration behind 100 KB of padding inside the DOCTYPE (a check of the first 64 KB missed it).
    padding = "<!-- " + "pad " * 25_000 + "-->"
    feed("xxe-padded-doctype", xxe.replace("<!DOCTYPE r [", "<!DOCTYPE r [" + padding))

    handled("gzip-bomb", behaviours.gzip_bomb())
    handled("too-large-streamed", behaviours.endless())
    handled("too-large-declared", behaviours.endless(declare_length=50 * 1024 * 1024))
    handled("slow-drip", behaviours.drip())
    handled("never-answers", behaviours.silent())
    handled("reset-mid-body", behaviours.reset_mid_body())
    handled("redirect-loop", behaviours.redirect(site.url("/feeds/redirect-loop")))
    handled("redirect-to-file", behaviours.redirect("file:///etc/passwd"))
    handled("status-404", behaviours.respond(404, b"not found"))
    handled("status-410", behaviours.respond(410, b"gone"))
    handled("status-500", behaviours.respond(500, b"error"))
    handled("status-503", behaviours.respond(503, b"unavailable", {"Retry-After": "120"}))
    handled("status-429-long", behaviours.respond(429, b"slow down", {"Retry-After": "3600"}))

    later = _feed([_entry("Rate limited then fine", None, guid="rl-1", description="Export controls on gallium tightened.")])
    first_429 = behaviours.respond(429, b"slow down", {"Retry-After": "1"})
    then_ok = behaviours.respond(200, later, {"Content-Type": "application/rss+xml"})
    calls: list[int] = []

    def rate_limited(request):  # type: ignore[no-untyped-def]
        calls.append(1)
        (first_429 if len(calls) == 1 else then_ok)(request)

    handled("status-429-short", rate_limited)

    cp1252 = (RSS_HEAD.format(encoding="utf-8", title="Caf\u00e9 news").encode("cp1252")
              + _entry("Caf\u00e9 tariffs \u2013 20%", None, guid="cp-1", description="Tariffs on caf\u00e9 imports rose.").encode("cp1252")
              + b"</channel></rss>")
    feed("cp1252-as-utf8", cp1252, "application/rss+xml; charset=utf-8")
    feed("gb18030", _feed([_entry("美国对中国芯片实施出口管制", None, guid="gb-1", description="美国商务部宣布对中国芯片实施出口管制措施。")],
                          encoding="gb18030"), "application/rss+xml")
    bom = b"\xef\xbb\xbf" + _feed([_entry("Stra\u00dfe tariffs", None, guid="bom-1", description="Tariffs on steel.")],
                                  encoding="iso-8859-1").decode("iso-8859-1").encode("utf-8")
    feed("bom-mismatch", bom, "application/rss+xml; charset=iso-8859-1")

    site.handlers["/pages/redirect-to-broken-host.html"] = behaviours.redirect("http://xn--/story")
    feed("bad-links", _feed([
        _entry("Script link", "javascript:fetch('/feeds',{method:'DELETE'})", guid="bl-1",
               description="Tariffs on steel rose 25% on imports."),
        _entry("Broken host link", "http://xn--/story", guid="bl-2", description="Tariffs on cars rose 10% on imports."),
        _entry("Redirect to a broken host", site.url("/pages/redirect-to-broken-host.html"), guid="bl-3",
               description="Tariffs on chips rose 5% on imports."),
    ]))
    feed("no-link", _feed([_entry("Entry without a link", None, guid="nl-1",
                                  description="China imposed export controls on graphite, requiring licences for every shipment.")]))
    dup = _entry("Same id twice", None, guid="dup-1", description="Tariffs on steel rose by 25% on imports.")
    feed("duplicate-guids", _feed([dup, dup.replace("Same id twice", "Same id again")]))
    feed("odd-dates", _feed([
        _entry("From the future", None, guid="fd-1", description="Tariffs on cars rose 10% on imports.", date="Mon, 01 Jan 2099 10:00:00 GMT"),
        _entry("Unparseable date", None, guid="fd-2", description="Tariffs on steel rose 25% on imports.", date="sometime next week"),
    ]))
    feed("ten-thousand", _feed([_entry(f"Entry {n}", None, guid=f"tt-{n}", description=f"Note {n}.") for n in range(10_000)]))
    feed("huge-title", _feed([_entry("Sanctions " + "x" * 5_000_000, None, guid="ht-1",
                                     description="The EU imposed sanctions on two banks, freezing their assets.")]))

    pages = {
        "no-content": b"<html><head><title>Empty</title></head><body></body></html>",
        "only-scripts": b"<html><head><script>var a=1;</script></head><body>" + b"<script>track();</script>" * 500 + b"</body></html>",
        "deep-nesting": behaviours.nested_markup(),
        "invalid-bytes": b"<html><body><article><h1>Tariffs \xff\xfe rise</h1><p>" + b"Tariffs on steel rose 25% on imports from China \xc3\x28 today. " * 20 + b"</p></article></body></html>",
    }
    entries = []
    for name, body in pages.items():
        site.put(f"/pages/{name}.html", body)
        entries.append(_entry(f"Page {name}", site.url(f"/pages/{name}.html"), guid=f"page-{name}",
                              description=f"Feed text for {name}: export controls on chips were tightened."))
    site.handlers["/pages/fifty-megabytes.html"] = behaviours.endless(b"<p>" + b"y" * 65533)
    entries.append(_entry("Page fifty-megabytes", site.url("/pages/fifty-megabytes.html"), guid="page-fifty",
                          description="Feed text for fifty-megabytes: export controls on chips were tightened."))
    feed("hostile-pages", _feed(entries))
    return feeds


@pytest.fixture(scope="module")
def cycle(tmp_path_factory: pytest.TempPathFactory) -> Cycle:
    root = tmp_path_factory.mktemp("hostile")
    secret = root / "secret.txt"
    secret.write_text(SECRET_MARKER)
    with LocalSite() as site:
        feeds = _build(site, secret)
        tradewire = Tradewire(root)
        tradewire.settings({"ingest": {"max_entries_per_feed": 20, "workers": 2, "extraction_timeout": 60}})
        tradewire.feeds(feeds)
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        polled_at = datetime.now(timezone.utc)
        result = tradewire.run("run-once", timeout=300)
        max_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        status = {row["name"]: row for row in tradewire.json("feeds", "status")}
        yield Cycle(site, tradewire, result.stdout + result.stderr, result.returncode, status,
                    max(max_rss, before) / 1024, polled_at)


def _failed(cycle: Cycle, name: str, kind: str, message: str) -> None:
    row = cycle.status[name]
    assert row["state"] in ("failed", "disabled"), row
    assert row["last_error_kind"] == kind, row
    assert message in row["last_error"], row["last_error"]
    assert f"{name}: " in cycle.output  # listed in run-once's summary
    assert cycle.search("tag:sanctions AND source:127.0.0.1")["total"] >= 1, "the good feed's article must be indexed"


def test_cycle_completes_and_reports_failures(cycle: Cycle) -> None:
    assert cycle.returncode == 1
    assert "Traceback" not in cycle.output, cycle.output[cycle.output.find("Traceback") - 300:][:3000]
    assert cycle.status["good"]["state"] == "ok"
    assert cycle.max_rss_mb < 700, f"peak RSS {cycle.max_rss_mb:.0f} MB"


@pytest.mark.parametrize(("name", "kind", "message"), [
    ("malformed-xml", "parse", "malformed feed: undefined entity"),
    ("html-not-feed", "parse", "the URL serves an HTML page, not a feed (content-type text/html"),
    ("empty-body", "parse", "empty response body"),
    ("billion-laughs", "parse", "declares XML entities in a DTD; refused"),
    ("xxe-local-file", "parse", "declares XML entities in a DTD; refused"),
    ("xxe-padded-doctype", "parse", "declares XML entities in a DTD; refused"),
    ("gzip-bomb", "too-large", "decompressed body exceeds the limit of 10,485,760 bytes"),
    ("too-large-streamed", "too-large", "response exceeds the limit of 10,485,760 bytes"),
    ("too-large-declared", "too-large", "response is 52,428,800 bytes; the limit is 10,485,760"),
    ("slow-drip", "timeout", "no complete response within 4 s"),
    ("never-answers", "timeout", "reading the response timed out"),
    ("reset-mid-body", "connection", "connection failed"),
    ("redirect-loop", "redirects", "more than 5 redirects"),
    ("redirect-to-file", "refused", "only http:// and https:// URLs are fetched"),
    ("status-404", "http", "HTTP 404"),
    ("status-500", "http", "HTTP 500"),
    ("status-503", "http", "HTTP 503"),
])
def test_hostile_feed_gets_its_specific_error(cycle: Cycle, name: str, kind: str, message: str) -> None:
    _failed(cycle, name, kind, message)


def test_no_local_file_content_ever_reaches_a_document(cycle: Cycle) -> None:
    assert cycle.search(f'"{SECRET_MARKER}"')["total"] == 0
    # Nor anything stored: the index, the state database, the alerts, the spool (their raw bytes, journals included).
    stored = [path for path in cycle.tradewire.data_dir.rglob("*") if path.is_file()]
    assert any(path.name == "index.db" for path in stored), stored
    assert [path for path in stored if SECRET_MARKER.encode() in path.read_bytes()] == []


def test_gone_feed_is_disabled(cycle: Cycle) -> None:
    _failed(cycle, "status-410", "http", "HTTP 410")
    assert cycle.status["status-410"]["disabled_reason"] == "HTTP 410 Gone: the publisher removed the feed"


def test_server_errors_back_off(cycle: Cycle) -> None:
    for name in ("status-500", "status-503"):
        assert datetime.fromisoformat(cycle.status[name]["next_poll_at"]) > cycle.polled_at + timedelta(minutes=10)
    # Retry-After 120 s is longer than anything waited for within a cycle, and the next poll respects it.
    assert len(cycle.site.requests_for("/feeds/status-503")) == 1


def test_long_retry_after_is_honoured_by_the_schedule(cycle: Cycle) -> None:
    _failed(cycle, "status-429-long", "http", "HTTP 429")
    assert "Retry-After 3600 s honoured" in cycle.status["status-429-long"]["last_error"]
    next_poll = datetime.fromisoformat(cycle.status["status-429-long"]["next_poll_at"])
    assert next_poll >= cycle.polled_at + timedelta(minutes=60)
    assert len(cycle.site.requests_for("/feeds/status-429-long")) == 1


def test_short_retry_after_is_waited_out_within_the_cycle(cycle: Cycle) -> None:
    assert cycle.status["status-429-short"]["state"] == "ok"
    assert len(cycle.site.requests_for("/feeds/status-429-short")) == 2
    assert cycle.search('"gallium"')["total"] == 1


@pytest.mark.parametrize("name", ["wrong-content-type", "no-content-type"])
def test_wrong_or_missing_content_type_is_tolerated(cycle: Cycle, name: str) -> None:
    assert cycle.status[name]["state"] == "ok"
    assert cycle.status[name]["new_articles_last"] == 1


def test_mislabelled_encodings_are_decoded(cycle: Cycle) -> None:
    for name in ("cp1252-as-utf8", "gb18030", "bom-mismatch"):
        assert cycle.status[name]["state"] == "ok", cycle.status[name]
    titles = {hit["title"] for hit in cycle.search("")["hits"]}
    assert "Caf\u00e9 tariffs \u2013 20%" in titles
    assert "美国对中国芯片实施出口管制" in titles
    assert "Stra\u00dfe tariffs" in titles
    chinese = cycle.search("出口管制")
    assert chinese["total"] == 1 and "export_controls" in {t["name"] for t in chinese["hits"][0]["tags"]}


def test_entry_without_link_is_indexed_from_its_own_text(cycle: Cycle) -> None:
    hit = cycle.search('"Entry without a link"')["hits"][0]
    document = cycle.show(hit["id"])
    assert document["extraction"] == "feed" and "has no link" in document["extraction_note"]
    assert "export_controls" in {tag["name"] for tag in document["tags"]}


def test_links_that_are_not_web_urls_fall_back_to_the_entry_text(cycle: Cycle) -> None:
    assert cycle.status["bad-links"]["state"] == "ok", cycle.status["bad-links"]
    for title, note in (("Script link", "is not an http(s) URL"), ("Broken host link", "is not an http(s) URL"),
                        ("Redirect to a broken host", "invalid redirect target")):
        hits = cycle.search(f'"{title}"')["hits"]
        assert len(hits) == 1, (title, cycle.articles_line)
        document = cycle.show(hits[0]["id"])
        assert document["extraction"] == "feed" and note in document["extraction_note"], document["extraction_note"]
        assert document["url"].startswith(("http://", "https://")) and "xn--/" not in document["url"], document["url"]
    assert cycle.search("tag:sanctions AND source:127.0.0.1")["total"] >= 1


def test_duplicate_guids_make_one_article_and_a_warning(cycle: Cycle) -> None:
    assert "repeat an earlier entry's id" in cycle.status["duplicate-guids"]["warnings"]
    assert cycle.search('"Same id"')["total"] == 1


def test_future_and_unparseable_dates_are_dropped_with_a_note(cycle: Cycle) -> None:
    for title, note in (("From the future", "is in the future"), ("Unparseable date", "unparseable date")):
        document = cycle.show(cycle.search(f'"{title}"')["hits"][0]["id"])
        assert document["published"] is None and note in document["extraction_note"]


def test_ten_thousand_entries_are_read_twenty_a_cycle_and_the_rest_kept(cycle: Cycle) -> None:
    assert "9980 of the feed's 10000 new entries wait for the next polls" in cycle.status["ten-thousand"]["warnings"]
    assert "9980 waiting for the next cycles" in cycle.output
    assert cycle.search('"Note"')["total"] == 20


def test_five_megabyte_title_is_cut(cycle: Cycle) -> None:
    hit = cycle.search("tag:sanctions AND title:sanctions")["hits"]
    long_titles = [h for h in hit if h["title"].startswith("Sanctions xxx")]
    assert len(long_titles) == 1 and len(long_titles[0]["title"]) == 1000
    assert "title cut to 1000 characters" in cycle.show(long_titles[0]["id"])["extraction_note"]


@pytest.mark.parametrize(("page", "note"), [
    ("no-content", "trafilatura found no article text"),
    ("only-scripts", "trafilatura found no article text"),
    ("fifty-megabytes", "response exceeds the limit of 10,485,760 bytes"),
])
def test_hostile_pages_fall_back_to_the_feed_text_with_a_note(cycle: Cycle, page: str, note: str) -> None:
    hits = cycle.search(f'"Page {page}"')["hits"]
    assert len(hits) == 1, cycle.articles_line
    document = cycle.show(hits[0]["id"])
    assert document["extraction"] == "feed" and note in document["extraction_note"]
    assert document["text"].startswith(f"Feed text for {page}")
    assert f"{page}.html: " in cycle.output


def test_deeply_nested_and_invalid_byte_pages_do_not_crash(cycle: Cycle) -> None:
    found = {}
    for page in ("deep-nesting", "invalid-bytes"):
        hits = cycle.search(f'url:"{cycle.site.url(f"/pages/{page}.html")}"')["hits"]
        assert len(hits) == 1, (page, cycle.articles_line)
        found[page] = hits[0]
    invalid = cycle.show(found["invalid-bytes"]["id"])
    assert invalid["extraction"] == "article" and "Tariffs on steel rose" in invalid["text"]
    assert "tariffs" in {tag["name"] for tag in invalid["tags"]}


ENTITY_FEED = ('<?xml version="1.0" encoding="{encoding}"?><!DOCTYPE r [{padding}<!ENTITY x SYSTEM "file:///etc/passwd">]>'
               '<rss version="2.0"><channel><title>x</title><item><title>&x;</title><guid>e-1</guid></item></channel></rss>')


@pytest.mark.parametrize(("encoding", "padding"), [
    ("utf-8", " " * 70_000),
    ("utf-8", "<!-- " + "x" * 70_000 + " -->"),
    ("utf-8", '<!ATTLIST r a CDATA "<!-- "> <?pi ' + "x" * 70_000 + "?>"),
    ("utf-16", " " * 70_000),
    ("gb18030", "<!-- " + "制裁" * 30_000 + " -->"),
], ids=["spaces", "comment", "quoted-comment-opener", "utf-16", "gb18030"])
def test_an_entity_declaration_is_refused_however_the_doctype_is_padded(encoding: str, padding: str) -> None:
    body = ENTITY_FEED.format(encoding=encoding, padding=padding).encode(encoding)
    with pytest.raises(FeedParseError, match="declares XML entities in a DTD; refused"):
        parse_feed(body, url="http://feed.example/rss")


def test_a_feed_quoting_an_entity_declaration_in_its_text_is_read() -> None:
    body = ('<?xml version="1.0"?><rss version="2.0"><channel><title>Security notes</title><item><title>XXE explained</title>'
            '<description><![CDATA[A payload starts <!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>]]></description>'
            '<guid>q-1</guid></item></channel></rss>').encode()
    parsed = parse_feed(body, url="http://feed.example/rss")
    assert [entry.title for entry in parsed.entries] == ["XXE explained"]
    assert "<!ENTITY x SYSTEM" in parsed.entries[0].text

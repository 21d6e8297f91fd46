"""The foundation's acceptance: a trade article goes from a news feed to a tagged, searchable document."""

from __future__ import annotations

import time
from http.server import BaseHTTPRequestHandler

from tests.support.cli import Tradewire
from tests.support.feeds import item, news_page, rss
from tradewire.ingest.demo.site import LocalSite

TITLE = "China releases sincerity on eve of Sino-US talks"
EXPECTED_ENTITIES = {
    "China", "United States", "United Kingdom", "He Lifeng", "Ministry of Commerce (China)",
    "U.S. Department of Commerce", "General Motors", "Ford", "Stellantis", "Reuters",
}


def publish_seed(site: LocalSite, seed_text: str) -> str:
    page = site.url("/news/china-us-talks.html")
    site.put("/news/china-us-talks.html", news_page(TITLE, seed_text, canonical=page + "?utm_source=rss"))
    site.put(
        "/feed.xml",
        rss([item(page + "?utm_source=rss&utm_medium=feed", TITLE, description="Commentary on the talks.")]),
        "application/rss+xml",
    )
    return site.url("/feed.xml")


def test_sample_article_is_tagged_with_verbatim_evidence_and_entities(site: LocalSite, tradewire_on: Tradewire, seed_text: str) -> None:
    tradewire = tradewire_on
    tradewire.feeds({"trade": publish_seed(site, seed_text)})
    result = tradewire.run("run-once", check=True)
    assert "1 new" in result.stdout

    found = tradewire.json("search", '"rare earth" AND tag:export_licenses')
    assert found["total"] == 1
    document = tradewire.json("show", found["hits"][0]["id"])

    tags = {tag["name"]: tag for tag in document["tags"]}
    assert {"sanctions", "export_licenses", "negotiations"} <= set(tags)
    for tag in tags.values():
        assert tag["evidence"], tag["name"]
        for evidence in tag["evidence"]:
            assert document["text"][evidence["start"] : evidence["end"]] == evidence["text"]
            assert evidence["text"] in seed_text
    assert any("suspension order" in e["text"] for e in tags["sanctions"]["evidence"])
    assert any("export license applications" in e["text"] for e in tags["export_licenses"]["evidence"])

    names = {entity["name"] for entity in document["entities"]}
    assert EXPECTED_ENTITIES <= names, EXPECTED_ENTITIES - names
    stellantis = next(e for e in document["entities"] if e["name"] == "Stellantis")
    assert [mention["text"] for mention in stellantis["mentions"]] == ["Stlantis"]

    assert document["canonical_url"] == site.url("/news/china-us-talks.html")
    assert document["extraction"] == "article"
    assert document["published"].startswith("2025-06-08")


def test_search_highlights_filters_by_date_and_counts_facets(site: LocalSite, tradewire_on: Tradewire, seed_text: str) -> None:
    tradewire = tradewire_on
    tradewire.feeds({"trade": publish_seed(site, seed_text)})
    tradewire.run("run-once", check=True)

    found = tradewire.json("search", '"rare earth" AND tag:export_licenses')
    assert "<mark>rare earth</mark>" in found["hits"][0]["snippet"].lower()
    facet_tags = {bucket["value"]: bucket["count"] for bucket in found["facets"]["tags"]}
    assert facet_tags["export_licenses"] == 1 and facet_tags["sanctions"] == 1
    assert {bucket["value"] for bucket in found["facets"]["entities"]} >= {"CN", "US"}
    assert found["facets"]["days"] == [{"value": "2025-06-08", "count": 1}]

    assert tradewire.json("search", "tag:sanctions", "--since", "2025-06-01")["total"] == 1
    assert tradewire.json("search", "tag:sanctions", "--since", "2025-06-09")["total"] == 0
    assert tradewire.json("search", "tag:sanctions", "--until", "2025-06-08")["total"] == 1
    assert tradewire.json("search", "tag:sanctions", "--since", "7d")["total"] == 0
    assert tradewire.json("search", "rare earth", "--tag", "tariffs")["total"] == 0


def test_second_run_sends_validators_gets_304_and_indexes_nothing(site: LocalSite, tradewire_on: Tradewire, seed_text: str) -> None:
    tradewire = tradewire_on
    tradewire.feeds({"trade": publish_seed(site, seed_text)})
    tradewire.run("run-once", check=True)
    second = tradewire.run("run-once", check=True)

    polls = site.requests_for("/feed.xml")
    assert len(polls) == 2
    assert polls[1].headers.get("If-None-Match") == site.resources["/feed.xml"].etag
    assert "If-Modified-Since" in polls[1].headers
    assert polls[1].status == 304
    assert "1 not modified" in second.stdout and "0 new" in second.stdout
    assert len(site.requests_for("/news/china-us-talks.html")) == 1
    assert tradewire.json("search", "")["total"] == 1


def test_page_that_failed_transiently_is_fetched_on_the_next_poll_though_the_feed_is_unchanged(
    site: LocalSite, tradewire: Tradewire, seed_text: str
) -> None:
    tradewire.feeds({"trade": publish_seed(site, seed_text)})
    working_page = site.resources["/news/china-us-talks.html"]
    site.put("/news/china-us-talks.html", "overloaded", "text/plain", status=503)
    first = tradewire.run("run-once", check=True)
    assert "1 to retry" in first.stdout and "0 new" in first.stdout

    site.resources["/news/china-us-talks.html"] = working_page
    second = tradewire.run("run-once", check=True)
    feed_polls = site.requests_for("/feed.xml")
    assert "If-None-Match" not in feed_polls[-1].headers and feed_polls[-1].status == 200
    assert "1 new" in second.stdout
    assert tradewire.json("search", "tag:sanctions")["total"] == 1

    third = tradewire.run("run-once", check=True)
    assert site.requests_for("/feed.xml")[-1].status == 304 and "1 not modified" in third.stdout


def test_feed_regenerated_with_the_same_items_is_not_parsed_again(site: LocalSite, tradewire: Tradewire, seed_text: str) -> None:
    """A server without validators that stamps a new lastBuildDate on every request: only new items count."""
    page = site.url("/news/china-us-talks.html")
    site.put("/news/china-us-talks.html", news_page(TITLE, seed_text, canonical=page))
    items = [item(page, TITLE)]

    def regenerate(build_date: str) -> None:
        stamped = rss(items).replace("</description>", f"</description><lastBuildDate>{build_date}</lastBuildDate>", 1)
        site.put("/feed.xml", stamped, "application/rss+xml", conditional=False)

    tradewire.feeds({"trade": site.url("/feed.xml")})
    regenerate("Sun, 08 Jun 2025 08:00:00 GMT")
    assert "1 new" in tradewire.run("run-once", check=True).stdout
    regenerate("Sun, 08 Jun 2025 08:15:00 GMT")
    unchanged = tradewire.run("run-once", check=True)
    assert "1 not modified" in unchanged.stdout and "0 new" in unchanged.stdout

    follow_up = site.put("/news/follow-up.html", news_page("Follow-up on export licences", seed_text, canonical=site.url("/news/follow-up.html")))
    items.insert(0, item(follow_up, "Follow-up on export licences"))
    regenerate("Sun, 08 Jun 2025 08:30:00 GMT")
    changed = tradewire.run("run-once", check=True)
    assert "1 ok" in changed.stdout and "1 new" in changed.stdout
    assert len(site.requests_for("/news/china-us-talks.html")) == 1


def _never_in_time(handler: BaseHTTPRequestHandler) -> None:
    time.sleep(8)
    handler.send_response(200)
    handler.send_header("Content-Length", "0")
    handler.end_headers()


def test_broken_feeds_are_recorded_and_do_not_stop_the_others(site: LocalSite, tradewire: Tradewire, seed_text: str) -> None:
    good = publish_seed(site, seed_text)
    site.put("/malformed.xml", '<?xml version="1.0"?><rss version="2.0"><channel><title>Bad &bogus; feed</title>', "application/rss+xml")
    site.put("/error.xml", "internal error", "text/plain", status=500)
    site.handlers["/slow.xml"] = _never_in_time
    tradewire.feeds({
        "good": good, "malformed": site.url("/malformed.xml"), "server-error": site.url("/error.xml"),
        "slow": site.url("/slow.xml"),
    })

    result = tradewire.run("run-once")
    assert result.returncode == 1
    assert "1 ok" in result.stdout and "3 failed" in result.stdout
    assert "malformed: malformed feed: undefined entity" in result.stdout
    assert "server-error: HTTP 500" in result.stdout
    assert "slow: no complete response within 4 s" in result.stdout or "slow: reading the response timed out" in result.stdout
    assert tradewire.json("search", "tag:sanctions")["total"] == 1

    status = {row["name"]: row for row in tradewire.json("feeds", "status")}
    assert status["good"]["state"] == "ok" and status["good"]["last_error"] is None
    assert status["malformed"]["last_error_kind"] == "parse"
    assert "undefined entity" in status["malformed"]["last_error"]
    assert status["server-error"]["last_error_kind"] == "http" and "500" in status["server-error"]["last_error"]
    assert status["slow"]["last_error_kind"] == "timeout"
    for name in ("malformed", "server-error", "slow"):
        assert status[name]["state"] == "failed" and status[name]["consecutive_failures"] == 1
    table = tradewire.run("feeds", "status", check=True).stdout
    assert "HTTP 500" in table and "undefined entity" in table


def test_demo_runs_the_whole_pipeline(tradewire: Tradewire) -> None:
    result = tradewire.run("--data-dir", str(tradewire.root / "demo"), "demo", check=True)
    assert "First poll: feeds 2 ok" in result.stdout
    assert "7 new" in result.stdout
    assert 'Search "rare earth" AND tag:export_licenses: 1 article(s)' in result.stdout
    assert "2 feed requests answered 304" in result.stdout
    assert "Traceback" not in result.stderr


def test_unreadable_robots_txt_delays_the_page_rather_than_downgrading_it(site: LocalSite, tradewire: Tradewire, seed_text: str) -> None:
    feed = publish_seed(site, seed_text)
    site.put("/robots.txt", "unavailable", "text/plain", status=503)
    tradewire.feeds({"trade": feed})
    first = tradewire.run("run-once")
    assert "robots.txt could not be read" in first.stdout + first.stderr
    assert tradewire.json("search", "")["total"] == 0  # waiting for the page, not indexed from the one-line entry
    assert not site.requests_for("/news/china-us-talks.html")

    site.put("/robots.txt", "not found", "text/plain", status=404)
    tradewire.run("run-once", check=True)
    found = tradewire.json("search", '"rare earth" AND tag:export_licenses')
    assert found["total"] == 1 and tradewire.json("show", found["hits"][0]["id"])["extraction"] == "article"


def test_a_short_press_release_is_kept_over_an_empty_feed_entry(site: LocalSite, tradewire: Tradewire) -> None:
    text = "OFAC today imposed sanctions on three Chinese refiners for purchasing Iranian crude oil in violation of U.S. sanctions."
    page = site.url("/press/short.html")
    site.put("/press/short.html", news_page("Treasury sanctions refiners", text, canonical=page))
    site.put("/feed.xml", rss([item(page, "Treasury sanctions refiners", description="")]), "application/rss+xml")
    tradewire.feeds({"press": site.url("/feed.xml")})
    tradewire.run("run-once", check=True)
    found = tradewire.json("search", "asserted:sanctions")
    assert found["total"] == 1
    document = tradewire.json("show", found["hits"][0]["id"])
    assert document["extraction"] == "article" and "three Chinese refiners" in document["text"]


def test_an_entry_updated_under_the_same_guid_is_read_again(site: LocalSite, tradewire: Tradewire) -> None:
    page = site.url("/news/refiners.html")
    weighing = "The U.S. Treasury is weighing sanctions on three Chinese refiners, officials said on Monday."
    imposed = "The U.S. Treasury imposed sanctions on three Chinese refiners on Tuesday, freezing their assets."

    def publish(title: str, text: str, updated: str) -> None:
        site.put("/news/refiners.html", news_page(title, text * 3, canonical=page))
        feed = rss([item(page, title, guid="refiners-story")])
        site.put("/feed.xml", feed.replace("<pubDate>", f"<atom:updated>{updated}</atom:updated><pubDate>", 1)
                 .replace("<rss ", '<rss xmlns:atom="http://www.w3.org/2005/Atom" ', 1), "application/rss+xml")

    publish("Treasury weighs sanctions on refiners", weighing, "2025-06-09T08:00:00Z")
    tradewire.feeds({"wire": site.url("/feed.xml")})
    assert "1 new" in tradewire.run("run-once", check=True).stdout
    assert tradewire.json("search", "asserted:sanctions")["total"] == 0

    publish("Treasury imposes sanctions on refiners", imposed, "2025-06-10T09:00:00Z")
    assert "1 updated" in tradewire.run("run-once", check=True).stdout
    found = tradewire.json("search", "asserted:sanctions")
    assert found["total"] == 1 and found["hits"][0]["title"] == "Treasury imposes sanctions on refiners"

    fetched = len(site.requests_for("/news/refiners.html"))
    body = site.resources["/feed.xml"].body.replace(b"<description></description>", b"<description>Updated summary.</description>")
    site.put("/feed.xml", body, "application/rss+xml")  # the feed changed, the entry's time and title did not
    third = tradewire.run("run-once", check=True)
    assert "1 ok" in third.stdout and len(site.requests_for("/news/refiners.html")) == fetched


def test_a_disabled_feed_keeps_run_once_failing_until_enabled(site: LocalSite, tradewire: Tradewire, seed_text: str) -> None:
    site.put("/gone.xml", "gone", "text/plain", status=410)
    tradewire.feeds({"good": publish_seed(site, seed_text), "gone": site.url("/gone.xml")})
    assert tradewire.run("run-once").returncode == 1
    again = tradewire.run("run-once")
    assert again.returncode == 1 and "1 disabled" in again.stdout
    assert "gone: HTTP 410 Gone: the publisher removed the feed" in again.stdout
    assert len(site.requests_for("/gone.xml")) == 1  # a disabled feed is not polled

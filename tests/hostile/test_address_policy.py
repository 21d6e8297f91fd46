"""Private, loopback and link-local addresses are refused unless allowed: checked on the resolved address, per hop."""

from __future__ import annotations

import ipaddress

import pytest

from tests.hostile import behaviours
from tests.support.cli import Tradewire
from tests.support.feeds import item, news_page, rss
from tradewire.ingest.demo.site import LocalSite
from tradewire.ingest.fetch.guard import describe_address

TEXT = "The U.S. Treasury imposed sanctions on three Chinese refiners on Tuesday, freezing their assets. " * 3


@pytest.fixture
def refused(site: LocalSite, tradewire: Tradewire) -> tuple[LocalSite, Tradewire, dict]:  # type: ignore[type-arg]
    tradewire.settings({"fetch": {"allow_private_urls": False}})
    links = {
        "loopback-ip": site.url("/pages/a.html"),
        "loopback-name": site.url("/pages/b.html", host="localhost"),
        "link-local": "http://169.254.169.254/latest/meta-data/",
        "private": "http://10.11.12.13/news.html",
    }
    for path in ("/pages/a.html", "/pages/b.html"):
        site.put(path, news_page("Never fetched", TEXT, canonical=site.url(path)))
    site.put("/feed.xml", rss([item(url, f"Sanctions story {name}", description=f"Feed text {name}: " + TEXT)
                               for name, url in links.items()]), "application/rss+xml")
    site.handlers["/moved.xml"] = behaviours.redirect(site.url("/feed.xml", host="localhost"))
    tradewire.feeds({"news": site.url("/feed.xml"), "moved": site.url("/moved.xml"),
                     "metadata": "http://169.254.169.254/latest/meta-data/"})
    result = tradewire.run("run-once")
    return site, tradewire, {"result": result, "links": links}


def test_article_urls_on_internal_addresses_are_refused_and_never_fetched(refused) -> None:  # type: ignore[no-untyped-def]
    site, tradewire, context = refused
    assert not site.requests_for("/pages/a.html") and not site.requests_for("/pages/b.html")
    assert not site.requests_for("/robots.txt")
    expectations = {
        "loopback-ip": "127.0.0.1 resolves to loopback address 127.0.0.1; private addresses are refused",
        "loopback-name": "localhost resolves to loopback address 127.0.0.1",
        "link-local": "169.254.169.254 resolves to link-local address 169.254.169.254",
        "private": "10.11.12.13 resolves to private address 10.11.12.13",
    }
    for name, message in expectations.items():
        hits = tradewire.json("search", f'"Sanctions story {name}"')["hits"]
        assert len(hits) == 1, name
        document = tradewire.json("show", hits[0]["id"])
        assert document["extraction"] == "feed", name
        assert message in document["extraction_note"], document["extraction_note"]
        assert "TRADEWIRE_ALLOW_PRIVATE_URLS" in document["extraction_note"]
        assert "sanctions" in {tag["name"] for tag in document["tags"]}


def test_a_feed_redirect_to_another_internal_host_is_refused(refused) -> None:  # type: ignore[no-untyped-def]
    site, tradewire, context = refused
    status = {row["name"]: row for row in tradewire.json("feeds", "status")}
    assert status["news"]["state"] == "ok"
    assert status["moved"]["last_error_kind"] == "refused"
    assert "localhost resolves to loopback address 127.0.0.1" in status["moved"]["last_error"]
    assert context["result"].returncode == 1


def test_a_configured_feed_never_reaches_a_link_local_address(refused) -> None:  # type: ignore[no-untyped-def]
    """A feed's own host is trusted (an intranet feed), but not to reach cloud metadata on 169.254.0.0/16."""
    site, tradewire, context = refused
    status = {row["name"]: row for row in tradewire.json("feeds", "status")}
    assert status["metadata"]["last_error_kind"] == "refused"
    assert "link-local address 169.254.169.254; private addresses are refused even for a configured feed" in (
        status["metadata"]["last_error"])


def test_trust_in_a_feed_is_its_host_and_port_and_allow_private_extends_it_to_its_pages(
    site: LocalSite, tradewire: Tradewire,
) -> None:
    tradewire.settings({"fetch": {"allow_private_urls": False}})
    with LocalSite() as other_port:
        other_port.put("/feed.xml", rss([item(other_port.url("/x.html"), "Elsewhere")]), "application/rss+xml")
        site.handlers["/hop.xml"] = behaviours.redirect(other_port.url("/feed.xml"))
        own, elsewhere = site.url("/pages/own.html"), other_port.url("/pages/theirs.html")
        site.put("/pages/own.html", news_page("Own page", TEXT, canonical=own))
        other_port.put("/pages/theirs.html", news_page("Their page", TEXT, canonical=elsewhere))
        site.put("/intranet.xml", rss([item(own, "Sanctions story own", description="Feed text own: " + TEXT),
                                       item(elsewhere, "Sanctions story theirs", description="Feed text theirs: " + TEXT)]),
                 "application/rss+xml")
        tradewire.write("feeds.yaml", {"feeds": [
            {"name": "hop", "url": site.url("/hop.xml")},
            {"name": "intranet", "url": site.url("/intranet.xml"), "allow_private": True},
        ]})
        tradewire.run("run-once")
        status = {row["name"]: row for row in tradewire.json("feeds", "status")}
        assert status["hop"]["last_error_kind"] == "refused", "a redirect to another port of the feed's host"
        assert not other_port.requests_for("/feed.xml")
        assert status["intranet"]["state"] == "ok"
        own_hit = tradewire.json("search", '"Own page"')["hits"]
        assert len(own_hit) == 1 and tradewire.json("show", own_hit[0]["id"])["extraction"] == "article"
        theirs = tradewire.json("show", tradewire.json("search", '"Sanctions story theirs"')["hits"][0]["id"])
        assert theirs["extraction"] == "feed" and "loopback address" in theirs["extraction_note"]
        assert not other_port.requests_for("/pages/theirs.html")


@pytest.mark.parametrize(("address", "reason"), [
    ("2002:7f00:1::", "loopback"),  # 6to4 wrapping 127.0.0.1
    ("::ffff:10.0.0.1", "private"),
    ("fec0::1", "private"),  # deprecated site-local
    ("fe80::1", "link-local"),
    ("169.254.169.254", "link-local"),
    ("2606:4700::1111", None),
    ("1.1.1.1", None),
])
def test_addresses_are_judged_by_what_they_reach(address: str, reason: str | None) -> None:
    assert describe_address(ipaddress.ip_address(address)) == reason


def test_allowing_private_addresses_fetches_them(site: LocalSite, tradewire: Tradewire) -> None:
    site.put("/pages/a.html", news_page("Fetched", TEXT, canonical=site.url("/pages/a.html")))
    site.put("/feed.xml", rss([item(site.url("/pages/a.html"), "Fetched")]), "application/rss+xml")
    tradewire.feeds({"news": site.url("/feed.xml")})
    tradewire.env["TRADEWIRE_ALLOW_PRIVATE_URLS"] = "1"
    tradewire.settings({"fetch": {"allow_private_urls": False}})  # the environment wins over settings.yaml
    tradewire.run("run-once", check=True)
    assert site.requests_for("/pages/a.html")
    assert tradewire.json("search", "Fetched")["hits"][0]["extraction"] == "article"

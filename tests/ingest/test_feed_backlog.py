"""A feed with more new entries than ingest.max_entries_per_feed: the cap is per poll, the rest wait for the next
polls (the feed read whole again, not answered 304), and the run's summary says how many wait."""

from __future__ import annotations

from tests.support.cli import Tradewire
from tests.support.feeds import item, news_page, rss
from tradewire.ingest.demo.site import LocalSite


def test_entries_beyond_the_cap_are_read_on_the_following_polls(site: LocalSite, tradewire: Tradewire) -> None:
    items = []
    for number in range(25):
        url = site.url(f"/news/{number}.html")
        site.put(f"/news/{number}.html", news_page(f"Refinery {number} sanctioned",
                                                  f"The United States imposed sanctions on refinery {number} on Monday.",
                                                  canonical=url, seed=number))
        items.append(item(url, f"Refinery {number} sanctioned"))
    site.put("/feed.xml", rss(items), "application/rss+xml")  # served with an ETag: a kept validator would get a 304
    tradewire.settings({"ingest": {"max_entries_per_feed": 10}})
    tradewire.feeds({"wire": site.url("/feed.xml")})

    first = tradewire.run("run-once", check=True)
    assert "10 new" in first.stdout and "15 waiting for the next cycles" in first.stdout, first.stdout
    second = tradewire.run("run-once", check=True)
    assert "10 new" in second.stdout and "5 waiting for the next cycles" in second.stdout, second.stdout
    third = tradewire.run("run-once", check=True)
    assert "5 new" in third.stdout and "waiting" not in third.stdout, third.stdout
    assert tradewire.json("search", "")["total"] == 25
    fourth = tradewire.run("run-once", check=True)
    assert "0 new" in fourth.stdout and "1 not modified" in fourth.stdout, "once nothing waits, validators are kept again"

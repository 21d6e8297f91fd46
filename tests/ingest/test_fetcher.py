"""The one HTTP client against a real local server."""

from __future__ import annotations

import asyncio

from ingest.demo.site import LocalSite
from ingest.fetch.client import Fetcher
from ingest.settings import FetchOptions
from tests.support.feeds import item, rss


def test_a_304_answer_leaves_the_connection_open_for_the_next_poll(site: LocalSite) -> None:
    """Closing a 304 answer unread used to close its kept-alive connection: every poll after a 304 then
    opened a new one (half the connections of a polling cycle)."""
    url = site.put("/feed.xml", rss([item(site.url("/a.html"), "Export controls tightened")]), "application/rss+xml")

    async def poll_four_times() -> list[int]:
        async with Fetcher(FetchOptions(allow_private_urls=True, per_host_interval=0), user_agent="test") as fetcher:
            first = await fetcher.fetch(url)
            return [first.status] + [(await fetcher.fetch(url, etag=first.headers["etag"])).status for _ in range(3)]

    assert asyncio.run(poll_four_times()) == [200, 304, 304, 304]
    assert len({request.client_port for request in site.requests_for("/feed.xml")}) == 1


def test_requests_carry_tradewires_headers_and_no_cookies_a_site_set(site: LocalSite) -> None:
    url = site.put("/feed.xml", rss([item(site.url("/a.html"), "Export controls tightened")]), "application/rss+xml",
                   headers={"Set-Cookie": "visitor=tracked; Path=/"})

    async def fetch_twice() -> None:
        async with Fetcher(FetchOptions(allow_private_urls=True, per_host_interval=0), user_agent="tradewire-test") as fetcher:
            await fetcher.fetch(url)
            await fetcher.fetch(url, accept="application/rss+xml")

    asyncio.run(fetch_twice())
    first, second = ({name.lower(): value for name, value in request.headers.items()}
                     for request in site.requests_for("/feed.xml"))
    assert first["user-agent"] == second["user-agent"] == "tradewire-test"
    assert first["accept"] == "*/*" and second["accept"] == "application/rss+xml"
    assert "gzip" in second["accept-encoding"]
    assert "cookie" not in second

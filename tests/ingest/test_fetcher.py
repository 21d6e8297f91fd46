"""The one HTTP client against a real local server."""

from __future__ import annotations

import asyncio
import http.server
import ssl
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
import trustme

from tests.hostile import behaviours
from tests.support.feeds import item, rss
from tradewire.ingest.demo.site import LocalSite
from tradewire.ingest.errors import ConnectionFailed, FetchTimeout
from tradewire.ingest.fetch.client import Fetcher
from tradewire.ingest.settings import FetchOptions


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


class _TlsHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keeps connections alive
    body = bytes(range(256)) * 1200  # 300 KB: more than the connection buffers before reading pauses
    ports: list[int] = []

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        self.ports.append(self.client_address[1])
        if self.headers.get("If-None-Match") == '"v1"':
            self.send_response(304)
            self.send_header("ETag", '"v1"')
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("ETag", '"v1"')
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def tls_site(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """An HTTPS server on 127.0.0.1 with a certificate for localhost from a test CA; yields its URL and the CA file."""
    authority = trustme.CA()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert("localhost").configure_cert(context)
    ca_file = tmp_path / "ca.pem"
    authority.cert_pem.write_to_path(str(ca_file))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _TlsHandler)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    _TlsHandler.ports = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"https://localhost:{server.server_address[1]}/feed.xml", ca_file
    finally:
        server.shutdown()
        server.server_close()


def test_https_is_verified_against_the_trusted_cas_and_kept_alive(tls_site: tuple[str, Path]) -> None:
    url, ca_file = tls_site

    async def fetch(ca_certs: Path | None) -> list[tuple[int, bytes]]:
        options = FetchOptions(allow_private_urls=True, per_host_interval=0, retries=0, ca_certs=ca_certs)
        async with Fetcher(options, user_agent="test") as fetcher:
            first = await fetcher.fetch(url)
            again = await fetcher.fetch(url, etag=first.etag)
            return [(first.status, first.body), (again.status, again.body)]

    assert asyncio.run(fetch(ca_file)) == [(200, _TlsHandler.body), (304, b"")]
    assert len(set(_TlsHandler.ports)) == 1
    with pytest.raises(ConnectionFailed, match="certificate verify failed"):
        asyncio.run(fetch(None))  # the test CA is not one of the public CAs


class _ClosingHandler(http.server.BaseHTTPRequestHandler):
    """Answers as if keeping the connection alive, then closes it: as servers do when a keep-alive times out."""

    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")
        self.close_connection = True

    def log_message(self, *args: object) -> None:
        pass


def test_a_kept_connection_the_server_closed_is_not_reused() -> None:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _ClosingHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/feed.xml"

    async def fetch_twice() -> list[bytes]:
        options = FetchOptions(allow_private_urls=True, per_host_interval=0, retries=0)
        async with Fetcher(options, user_agent="test") as fetcher:
            first = await fetcher.fetch(url)
            await asyncio.sleep(0.2)  # the server's close arrives while the connection is idle in the pool
            return [first.body, (await fetcher.fetch(url)).body]

    try:
        assert asyncio.run(fetch_twice()) == [b"ok", b"ok"]
    finally:
        server.shutdown()
        server.server_close()


def test_time_queued_behind_the_hosts_other_requests_is_not_counted_against_a_fetch(site: LocalSite) -> None:
    """The total timeout bounds a request's exchange, not its wait for one of the host's slots: a page queued behind
    slow requests to its site used to time out unfetched (and was put off to the next poll)."""
    site.handlers["/slow"] = behaviours.drip(seconds=3)
    answer = behaviours.respond(200, b"<html><body><p>Export controls on gallium.</p></body></html>")

    def page_in_half_a_second(request: BaseHTTPRequestHandler) -> None:
        time.sleep(0.5)
        answer(request)

    site.handlers["/page.html"] = page_in_half_a_second
    page = site.url("/page.html")
    options = FetchOptions(allow_private_urls=True, per_host_interval=0, per_host_concurrency=1, read_timeout=2, retries=0,
                           total_timeout=1.5)

    async def slow_then_page() -> tuple[BaseException | None, bytes]:
        async with Fetcher(options, user_agent="test") as fetcher:
            slow = asyncio.create_task(fetcher.fetch(site.url("/slow")))
            await asyncio.sleep(0.02)  # the slow request holds the host's only slot for the whole 1.5 s
            fetched = await fetcher.fetch(page)
            outcome = (await asyncio.gather(slow, return_exceptions=True))[0]
            return outcome if isinstance(outcome, BaseException) else None, fetched.body

    slow_error, body = asyncio.run(slow_then_page())
    assert isinstance(slow_error, FetchTimeout), slow_error  # the slow one still times out on its own budget
    assert b"gallium" in body

"""A lean asyncio HTTP/1.1 server for benchmarks: prebuilt responses, keep-alive, ETags, latency, per-host counts.

Serving must cost as little as possible: it runs on the same cores as what is measured, and a real site
would cost the monitor nothing.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import formatdate


@dataclass
class Route:
    body: bytes | Callable[[], bytes]
    content_type: str = "text/html; charset=utf-8"
    # Answer If-None-Match with 304 when the body is unchanged (a server that supports conditional GET).
    conditional: bool = True
    etag: str = field(init=False, default="")

    def __post_init__(self) -> None:
        if self.conditional and isinstance(self.body, bytes):
            self.etag = '"' + hashlib.blake2b(self.body, digest_size=8).hexdigest() + '"'


@dataclass
class Stats:
    """Requests served, and the most connections any one host name had open at once."""

    requests: int = 0
    not_modified: int = 0
    open_per_host: Counter[str] = field(default_factory=Counter)
    peak_per_host: Counter[str] = field(default_factory=Counter)

    def summary(self) -> dict[str, int]:
        return {
            "requests": self.requests, "not_modified": self.not_modified,
            "peak_connections_per_host": max(self.peak_per_host.values(), default=0),
        }


# Makes the page for a (host, path) that has no route, or None for a 404.
PageMaker = Callable[[str, str], bytes | None]


class BenchServer:
    """Serves `routes` ((host, path) -> Route) on `port` of each host address, with `latency` before each answer;
    paths without a route are asked of `pages`."""

    def __init__(
        self, routes: dict[tuple[str, str], Route], port: int, *, latency: float = 0.0, pages: PageMaker | None = None
    ) -> None:
        self.routes = routes
        self.pages = pages
        self.port = port
        self.latency = latency
        self.stats = Stats()
        self._servers: list[asyncio.Server] = []

    async def start(self) -> None:
        for host in sorted({host for host, _ in self.routes}):
            self._servers.append(await asyncio.start_server(self._connection, host, self.port, backlog=1024))

    async def close(self) -> None:
        for server in self._servers:
            server.close()
            await server.wait_closed()

    def reset(self) -> None:
        self.stats = Stats(open_per_host=self.stats.open_per_host)

    async def _connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        host = writer.get_extra_info("sockname")[0]
        stats = self.stats
        stats.open_per_host[host] += 1
        stats.peak_per_host[host] = max(stats.peak_per_host[host], stats.open_per_host[host])
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                request_line, *header_lines = head.decode("latin-1").split("\r\n")
                path = request_line.split(" ")[1]
                etag = next((line.split(":", 1)[1].strip() for line in header_lines
                             if line[:14].lower() == "if-none-match:"), None)
                self.stats.requests += 1
                if self.latency:
                    await asyncio.sleep(self.latency)
                writer.write(self._response(host, path, etag))
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError):
            pass
        finally:
            self.stats.open_per_host[host] -= 1
            writer.close()

    def _response(self, host: str, path: str, if_none_match: str | None) -> bytes:
        route = self.routes.get((host, path.split("?")[0]))
        if route is None:
            page = self.pages(host, path) if self.pages else None
            if page is None:
                return b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"
            route = Route(page, conditional=False)
        if route.conditional and if_none_match == route.etag:
            self.stats.not_modified += 1
            return f"HTTP/1.1 304 Not Modified\r\nETag: {route.etag}\r\nContent-Length: 0\r\n\r\n".encode()
        body = route.body() if callable(route.body) else route.body
        validators = f"ETag: {route.etag}\r\nLast-Modified: {formatdate(usegmt=True)}\r\n" if route.conditional else ""
        return (f"HTTP/1.1 200 OK\r\nContent-Type: {route.content_type}\r\nContent-Length: {len(body)}\r\n"
                f"{validators}\r\n").encode() + body

"""robots.txt for article pages, per origin, cached (RFC 9309: 4xx allows all, 5xx or unreachable disallows for now)."""

from __future__ import annotations

import asyncio
import time
import urllib.robotparser
from collections.abc import Awaitable, Callable

import httpx

from tradewire.ingest.errors import FetchError, HttpStatusError, RefusedURL, RobotsUnavailable

_MAX_ROBOTS_BYTES = 512 * 1024
_FRESH_FOR = 24 * 3600.0
_RETRY_UNREACHABLE_AFTER = 600.0

class RobotsCache:
    def __init__(self, user_agent: str) -> None:
        self._agent = user_agent.split("/")[0]
        self._cache: dict[str, tuple[float, urllib.robotparser.RobotFileParser | None, bool]] = {}
        # One load per origin at a time: the articles of a site that arrive together wait for the same fetch.
        self._loading: dict[str, asyncio.Task[tuple[float, urllib.robotparser.RobotFileParser | None, bool]]] = {}

    async def allowed(self, url: str, fetch: Callable[[str, int], Awaitable[bytes]]) -> bool:
        parsed = httpx.URL(url)
        origin = f"{parsed.scheme}://{parsed.netloc.decode()}"
        cached = self._cache.get(origin)
        if cached is None or cached[0] < time.monotonic():
            loading = self._loading.get(origin)
            if loading is None:
                loading = self._loading[origin] = asyncio.ensure_future(self._load(origin, fetch))
                loading.add_done_callback(lambda _: self._loading.pop(origin, None))
            cached = await asyncio.shield(loading)
            self._cache[origin] = cached
        _, parser, allow_all = cached
        if parser is None:
            if not allow_all:
                raise RobotsUnavailable(f"{origin}/robots.txt could not be read; the page is tried again later", url=url)
            return True
        return parser.can_fetch(self._agent, url)

    async def _load(
        self, origin: str, fetch: Callable[[str, int], Awaitable[bytes]]
    ) -> tuple[float, urllib.robotparser.RobotFileParser | None, bool]:
        now = time.monotonic()
        try:
            body = await fetch(origin + "/robots.txt", _MAX_ROBOTS_BYTES)
        except HttpStatusError as error:
            if 400 <= error.status < 500:
                return now + _FRESH_FOR, None, True
            return now + _RETRY_UNREACHABLE_AFTER, None, False
        except RefusedURL:
            raise  # the page's address is refused: say so, not that robots.txt disallows it
        except FetchError:
            return now + _RETRY_UNREACHABLE_AFTER, None, False
        parser = urllib.robotparser.RobotFileParser()
        parser.parse(body.decode("utf-8", errors="replace").splitlines())
        return now + _FRESH_FOR, parser, True

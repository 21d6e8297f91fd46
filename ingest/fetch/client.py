"""The one HTTP client tradewire fetches feeds and pages with.

Timeouts (connect, read, and the whole response), at most N redirects followed by hand so every hop
is checked (scheme, address), a decoded-size cap enforced while streaming, per-host and global
concurrency limits, a minimum gap between requests to one host, conditional GET, and retries with
exponential backoff and jitter on connection errors, timeouts, 429 and 5xx (Retry-After honoured).
"""

from __future__ import annotations

import asyncio
import email.utils
import random
import time
from dataclasses import dataclass
from typing import BinaryIO

import httpx

from tradewire.ingest.errors import (
    ConnectionFailed,
    FetchError,
    FetchTimeout,
    HttpStatusError,
    RefusedURL,
    TooManyRedirects,
)
from tradewire.ingest.fetch.body import ACCEPT_ENCODING, read_capped
from tradewire.ingest.fetch.guard import AddressPolicy, Origin, trusted_origin
from tradewire.ingest.fetch.hosts import HostLimiter
from tradewire.ingest.fetch.robots import RobotsCache
from tradewire.ingest.fetch.transport import PerHostTransport
from tradewire.ingest.fetch.urls import is_web_url, origin
from tradewire.ingest.settings import FetchOptions

_REDIRECTS = {301, 302, 303, 307, 308}


@dataclass(frozen=True, slots=True)
class FetchResult:
    url: str
    status: int
    headers: httpx.Headers
    body: bytes

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def etag(self) -> str | None:
        return self.headers.get("etag")

    @property
    def last_modified(self) -> str | None:
        return self.headers.get("last-modified")

    @property
    def content_type(self) -> str | None:
        return self.headers.get("content-type")


class Fetcher:
    def __init__(self, options: FetchOptions, *, user_agent: str) -> None:
        self.options = options
        self.user_agent = user_agent
        self.policy = AddressPolicy(options.allow_private_urls)
        # Requests go straight to the transport: tradewire follows redirects itself and keeps no cookies (as
        # Miniflux keeps none), so the client layer's redirect, cookie and auth handling would be work for nothing.
        self.transport = PerHostTransport(self.policy, per_host=options.per_host_concurrency, ca_certs=options.ca_certs)
        self._timeout = httpx.Timeout(
            connect=options.connect_timeout, read=options.read_timeout, write=options.read_timeout, pool=None
        ).as_dict()
        self._headers = {"User-Agent": user_agent, "Accept": "*/*", "Accept-Encoding": ACCEPT_ENCODING}
        self.hosts = HostLimiter(options.per_host_concurrency, options.per_host_interval)
        self._global = asyncio.Semaphore(options.global_concurrency)
        self.robots = RobotsCache(user_agent)

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    async def close(self) -> None:
        await self.transport.aclose()

    async def fetch(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        trusted: Origin | None = None,
        max_bytes: int | None = None,
        accept: str | None = None,
        retries: int | None = None,
        into: BinaryIO | None = None,
    ) -> FetchResult:
        """GET `url`; raise a FetchError subclass saying what went wrong. `trusted` names an origin (host, port) exempt from the address policy.

        With `into` (a file open for writing and reading), the body is streamed there instead of held in memory, and
        the result's body is empty; each attempt starts the file over."""
        headers = dict(self._headers)
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        if accept:
            headers["Accept"] = accept
        attempts = 1 + (self.options.retries if retries is None else retries)
        # A plain loop: tenacity's per-call set-up was a tenth of a feed poll's CPU, and nearly every fetch needs one attempt.
        for attempt in range(1, attempts + 1):
            try:
                if into is not None:
                    into.seek(0)
                    into.truncate()
                return await self._fetch_once(url, headers, trusted, max_bytes or self.options.max_bytes, into)
            except FetchError as error:
                if attempt == attempts or not self._retryable(error):
                    raise
                await asyncio.sleep(self._wait(error, attempt))
        raise AssertionError("unreachable")

    async def allowed_by_robots(self, url: str, *, trusted: Origin | None = None) -> bool:
        if not self.options.respect_robots_txt:
            return True

        async def fetch_robots(robots_url: str, cap: int) -> bytes:
            return (await self.fetch(robots_url, max_bytes=cap, retries=0, trusted=trusted)).body

        return await self.robots.allowed(url, fetch_robots)

    async def _fetch_once(
        self, url: str, headers: dict[str, str], trusted: Origin | None, max_bytes: int, into: BinaryIO | None = None,
    ) -> FetchResult:
        token = trusted_origin.set(trusted)
        try:
            async with asyncio.timeout(self.options.total_timeout) as budget:
                current = _parse_url(url)
                for _ in range(self.options.max_redirects + 1):
                    if not self.policy.exempt(current.host, origin(current)[1]):
                        # Pooled connections are reused without reconnecting: check the address per request too.
                        await self.policy.resolve_checked(current.host, origin(current)[1])
                    queued = asyncio.get_running_loop().time()
                    async with self.hosts.slot(current.host), self._global:
                        # The budget is the exchange's: time spent queued behind the host's other requests (or
                        # its politeness interval) is given back, or a page queued behind slow ones times out unasked.
                        budget.reschedule(budget.when() + asyncio.get_running_loop().time() - queued)  # type: ignore[operator]
                        request = httpx.Request("GET", current, headers=headers, extensions={"timeout": self._timeout})
                        response = await self.transport.handle_async_request(request)
                        response.request = request
                        try:
                            location = response.headers.get("location")
                            if response.status_code in _REDIRECTS and location:
                                current = _redirect_target(current, location)
                                continue
                            if response.status_code == 304:
                                # Reading the (empty) body ends the exchange: closing it unread closes the connection.
                                await response.aread()
                                return FetchResult(str(current), 304, response.headers, b"")
                            if response.status_code >= 400:
                                raise HttpStatusError(
                                    response.status_code,
                                    f"HTTP {response.status_code} {response.reason_phrase}".strip(),
                                    url=str(current),
                                    retry_after=_retry_after(response.headers.get("retry-after")),
                                )
                            body = await read_capped(response, max_bytes, into)
                            return FetchResult(
                                str(current), response.status_code, response.headers, body
                            )
                        finally:
                            await response.aclose()
                raise TooManyRedirects(f"more than {self.options.max_redirects} redirects", url=url)
        except TimeoutError:
            raise FetchTimeout(f"no complete response within {self.options.total_timeout:g} s", url=url) from None
        except httpx.TimeoutException as error:
            raise FetchTimeout(f"{_timeout_kind(error)} timed out", url=url) from None
        except (httpx.ConnectError, httpx.ReadError, httpx.WriteError, httpx.RemoteProtocolError) as error:
            raise ConnectionFailed(f"connection failed: {error or type(error).__name__}", url=url) from None
        except (httpx.UnsupportedProtocol, httpx.InvalidURL) as error:
            raise RefusedURL(f"unsupported URL: {error}", url=url) from None
        except httpx.HTTPError as error:
            raise FetchError(f"HTTP error: {error or type(error).__name__}", url=url) from None
        finally:
            trusted_origin.reset(token)

    def _retryable(self, error: FetchError) -> bool:
        if isinstance(error, HttpStatusError):
            if error.status != 429 and error.status < 500:
                return False
            return error.retry_after is None or error.retry_after <= self.options.max_retry_wait
        return isinstance(error, (ConnectionFailed, FetchTimeout))

    def _wait(self, error: FetchError, attempt: int) -> float:
        if isinstance(error, HttpStatusError) and error.retry_after is not None:
            return error.retry_after
        backoff = self.options.retry_backoff * 2 ** (attempt - 1)
        return backoff * (0.5 + random.random())


def _parse_url(url: str) -> httpx.URL:
    try:
        parsed = httpx.URL(url)
        _check_scheme(parsed, url)
    except (httpx.InvalidURL, ValueError, TypeError) as error:  # idna's errors are ValueErrors
        raise RefusedURL(f"invalid URL {url!r}: {error}", url=url) from None
    return parsed


def _redirect_target(current: httpx.URL, location: str) -> httpx.URL:
    try:
        target = current.join(location)
    except (httpx.InvalidURL, ValueError, TypeError) as error:  # idna's errors are ValueErrors
        raise RefusedURL(f"invalid redirect target {location!r}: {error}", url=str(current)) from None
    if target.scheme in ("http", "https") and not is_web_url(target):
        raise RefusedURL(f"invalid redirect target {location!r}: no valid host or port", url=str(current))
    _check_scheme(target, str(current))
    return target


def _check_scheme(url: httpx.URL, original: str) -> None:
    if not is_web_url(url):
        raise RefusedURL(f"refused to fetch {str(url)!r}: only http:// and https:// URLs are fetched", url=original)




def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, moment.timestamp() - time.time())


def _timeout_kind(error: httpx.TimeoutException) -> str:
    if isinstance(error, httpx.ConnectTimeout):
        return "connecting"
    if isinstance(error, httpx.ReadTimeout):
        return "reading the response"
    return "the request"

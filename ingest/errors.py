"""Exceptions of the ingest side, in one place."""

from __future__ import annotations


class ConfigError(Exception):
    """A configuration file or setting is invalid; the message names the file, the line and the key."""


class FetchError(Exception):
    """A fetch failed; `kind` is a short machine-readable reason, the message says it for people."""

    kind = "fetch"

    def __init__(self, message: str, *, url: str | None = None) -> None:
        super().__init__(message)
        self.url = url


class HttpStatusError(FetchError):
    kind = "http"

    def __init__(self, status: int, message: str, *, url: str | None = None, retry_after: float | None = None) -> None:
        super().__init__(message, url=url)
        self.status = status
        self.retry_after = retry_after


class TooLarge(FetchError):
    kind = "too-large"


class FetchTimeout(FetchError):
    kind = "timeout"


class ConnectionFailed(FetchError):
    kind = "connection"


class TooManyRedirects(FetchError):
    kind = "redirects"


class RobotsUnavailable(FetchError):
    """robots.txt could not be read (a server error or a timeout): the page waits, it is neither fetched nor given up."""

    kind = "robots-unavailable"


class RefusedURL(FetchError):
    """The URL (or a redirect) points somewhere tradewire must not go: a private address, a non-HTTP scheme, robots.txt."""

    kind = "refused"


class FeedParseError(Exception):
    """The body is not a feed tradewire can read."""


class ExtractionError(Exception):
    """Extraction of an article page failed or timed out."""

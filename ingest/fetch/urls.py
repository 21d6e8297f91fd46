"""What tradewire fetches at all: absolute http(s) URLs with a host and a valid port."""

from __future__ import annotations

import httpx


def is_web_url(url: httpx.URL) -> bool:
    """Whether `url` is one tradewire may request (a `javascript:` link, a malformed host or port is not)."""
    try:
        host = url.host  # decoded lazily: a malformed IDNA label (http://xn--/) fails here
    except ValueError:  # idna's errors are ValueErrors
        return False
    return url.scheme in ("http", "https") and bool(host) and (url.port is None or 0 < url.port < 65536)


def web_url(text: str) -> httpx.URL | None:
    """`text` parsed as a URL tradewire may request, or None."""
    try:
        url = httpx.URL(text)
    except (httpx.InvalidURL, ValueError, TypeError):
        return None
    return url if is_web_url(url) else None


def origin(url: httpx.URL) -> tuple[str, int]:
    """(host, port) of a URL, the port its scheme's default when none is given."""
    return url.host.lower(), url.port or (443 if url.scheme == "https" else 80)

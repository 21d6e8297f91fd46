"""Canonical article URLs: the document identity. Tracking parameters and fragments go, the host is lower-cased."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

_TRACKING_PREFIXES = ("utm_", "mc_", "pk_", "piwik_", "hsa_", "oly_", "vero_", "_hs")
# Only parameters known to track clicks: a generic name like "source" or "id" may select the article itself.
_TRACKING_NAMES = {
    "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "igshid", "mkt_tok", "cmpid", "ncid",
    "ocid", "ref_src", "spm", "smid", "sr_share", "guccounter", "guce_referrer", "guce_referrer_sig", "_ga", "_gl",
    "at_medium", "at_campaign",
}


def canonical_url(url: str, declared: str | None = None) -> str:
    """The page's rel=canonical (resolved against `url`) when it is an http(s) URL on the same site, else `url`;
    normalised either way. Another site's canonical is ignored: a page must not take over the identity (and
    so the document) of another publisher's article."""
    return normalize_url((_same_site(url, declared) if declared else None) or url)


def _same_site(url: str, declared: str) -> str | None:
    try:
        resolved = urljoin(url, declared.strip())
        parts = urlsplit(resolved)
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    page, claimed = source_of(url), source_of(resolved)
    if page == claimed or page.endswith("." + claimed) or claimed.endswith("." + page):
        return resolved
    return None


def normalize_url(url: str) -> str:
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    port = parts.port
    netloc = host if port is None or (scheme, port) in (("http", 80), ("https", 443)) else f"{host}:{port}"
    query = [
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if key.lower() not in _TRACKING_NAMES and not key.lower().startswith(_TRACKING_PREFIXES)
    ]
    return urlunsplit((scheme, netloc, parts.path or "/", urlencode(query), ""))


def source_of(url: str) -> str:
    """The publishing site, as users filter on it: the host without 'www.'."""
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.")

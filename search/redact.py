"""URLs as they may be shown and logged: without user info or secret-looking query parameters."""

from __future__ import annotations

import re

# A parameter whose name says it carries a credential: api-key, access_key, client_secret, X-Amz-Signature, ...
_SECRET_PARAMETER = re.compile(r"key|token|secret|passw|signature|^sig$|auth|credential|session", re.IGNORECASE)


def redacted(url: str) -> str:
    import httpx  # here, not at the top: settings and the query commands import this module, rarely call it

    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, ValueError, TypeError):
        return url
    if parsed.userinfo:  # a user name alone is often a token (https://TOKEN@host)
        parsed = parsed.copy_with(username="***", password="***" if parsed.password else None)
    if parsed.query:
        params = [(k, "***" if _SECRET_PARAMETER.search(k) else v) for k, v in parsed.params.multi_items()]
        parsed = parsed.copy_with(params=params)
    return str(parsed)

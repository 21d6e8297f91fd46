"""URLs as they may be shown and logged: without passwords or secret-looking query parameters."""

from __future__ import annotations

import httpx

_SECRET_PARAMETERS = {"key", "apikey", "api_key", "token", "access_token", "auth", "password", "secret", "sig", "signature"}


def redacted(url: str) -> str:
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError):
        return url
    if parsed.password:
        parsed = parsed.copy_with(username=parsed.username, password="***")
    if parsed.query:
        params = [(k, "***" if k.lower() in _SECRET_PARAMETERS else v) for k, v in parsed.params.multi_items()]
        parsed = parsed.copy_with(params=params)
    return str(parsed)

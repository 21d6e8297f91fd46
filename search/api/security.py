"""What keeps the web page and the API safe in a browser: security headers on every response, and a login cookie
that proves the token was given without holding it.

The page loads only its own style sheet and script (no inline code, nothing from elsewhere), cannot be framed,
and its responses are never sniffed as another type. The cookie holds an HMAC of the token under a key made
for this process: stolen from a browser, it is not the API token, it ends when the service restarts or the
token changes, and it is sent only over HTTPS when the page was served over HTTPS.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

SESSION_COOKIE = "tradewire_session"
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
_HEADERS = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
]


class SecurityHeaders:
    """ASGI middleware: the headers above on every HTTP response (pages, their assets, JSON, errors)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *_HEADERS]
            await send(message)

        await self.app(scope, receive, send_with_headers)


class LoginCookie:
    """The web page's login: the cookie value for a token, and whether a request's cookie is it."""

    def __init__(self, token: str | None) -> None:
        key = secrets.token_bytes(32)
        self._value = hmac.new(key, token.encode(), hashlib.sha256).hexdigest() if token is not None else None

    def holds_session(self, request: Request) -> bool:
        given = request.cookies.get(SESSION_COOKIE)
        return self._value is not None and given is not None and hmac.compare_digest(given.encode(), self._value.encode())

    def set_on(self, response: Response, request: Request) -> None:
        options: dict[str, Any] = {"httponly": True, "samesite": "strict", "secure": request.url.scheme == "https"}
        response.set_cookie(SESSION_COOKIE, self._value or "", **options)

"""Real receivers on 127.0.0.1 for alert deliveries: a webhook endpoint and an SMTP server (aiosmtpd)."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from http.server import BaseHTTPRequestHandler
from typing import Any

from aiosmtpd.controller import Controller

from tradewire.ingest.demo.site import LocalSite


@dataclass
class WebhookReceiver:
    """Collects POSTed alerts; answers each with the next status in `statuses`, then 200."""

    site: LocalSite
    path: str = "/hook"
    statuses: list[int] = field(default_factory=list)
    received: list[dict[str, Any]] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)
    attempts: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.site.handlers[self.path] = self._handle

    @property
    def url(self) -> str:
        return self.site.url(self.path)

    def _handle(self, request: BaseHTTPRequestHandler) -> None:
        body = request.rfile.read(int(request.headers.get("Content-Length", 0)))
        with self._lock:
            self.attempts += 1
            status = self.statuses.pop(0) if self.statuses else 200
            if status == 200:
                self.received.append(json.loads(body))
                self.headers.append(dict(request.headers))
        request.send_response(status)
        request.send_header("Content-Length", "0")
        request.end_headers()

    def unique_keys(self) -> set[str]:
        return {headers["Idempotency-Key"] for headers in self.headers}


class _Inbox:
    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server, session, envelope) -> str:  # type: ignore[no-untyped-def] # noqa: N802
        self.messages.append(message_from_bytes(envelope.content))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def smtp_server(port: int | None = None) -> Iterator[tuple[int, list[Message]]]:
    """A real SMTP server (aiosmtpd) on 127.0.0.1; yields its port and the messages it accepted."""
    inbox = _Inbox()
    port = port or free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port, inbox.messages
    finally:
        controller.stop()

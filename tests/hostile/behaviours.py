"""Hostile server behaviours for the local test site: each one a thing the open web really does."""

from __future__ import annotations

import gzip
import socket
import struct
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler

Handler = Callable[[BaseHTTPRequestHandler], None]


def respond(status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> Handler:
    def handler(request: BaseHTTPRequestHandler) -> None:
        request.send_response(status)
        for name, value in (headers or {}).items():
            request.send_header(name, value)
        request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        request.wfile.write(body)

    return handler


def gzip_bomb(decompressed_megabytes: int = 200) -> Handler:
    """A small gzip body that inflates to hundreds of megabytes."""
    body = gzip.compress(b"\0" * (decompressed_megabytes * 1024 * 1024), compresslevel=9)
    return respond(200, body, {"Content-Type": "application/rss+xml", "Content-Encoding": "gzip"})


def endless(chunk: bytes = b"<item>" + b"x" * 65530, *, declare_length: int | None = None) -> Handler:
    """A body far larger than any cap, streamed without end (or with a huge Content-Length)."""

    def handler(request: BaseHTTPRequestHandler) -> None:
        request.send_response(200)
        request.send_header("Content-Type", "text/html")
        if declare_length is not None:
            request.send_header("Content-Length", str(declare_length))
        request.end_headers()
        try:
            for _ in range(2000):  # at most ~128 MB, far beyond the cap
                request.wfile.write(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass
        request.close_connection = True

    return handler


def drip(seconds: float = 30) -> Handler:
    """Valid headers, then the body one byte a second."""

    def handler(request: BaseHTTPRequestHandler) -> None:
        body = b'<?xml version="1.0"?><rss version="2.0"><channel><title>slow</title></channel></rss>'
        request.send_response(200)
        request.send_header("Content-Type", "application/rss+xml")
        request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        started = time.monotonic()
        try:
            for byte in body:
                request.wfile.write(bytes([byte]))
                request.wfile.flush()
                time.sleep(1)
                if time.monotonic() - started > seconds:
                    break
        except (BrokenPipeError, ConnectionResetError):
            pass

    return handler


def silent(seconds: float = 30) -> Handler:
    """Accept the connection, read the request, never answer."""

    def handler(request: BaseHTTPRequestHandler) -> None:
        time.sleep(seconds)
        request.close_connection = True

    return handler


def reset_mid_body() -> Handler:
    """Start a body, then reset the connection (RST, not a clean close)."""

    def handler(request: BaseHTTPRequestHandler) -> None:
        request.send_response(200)
        request.send_header("Content-Type", "application/rss+xml")
        request.send_header("Content-Length", "100000")
        request.end_headers()
        request.wfile.write(b'<?xml version="1.0"?><rss version="2.0"><channel><title>cut')
        request.wfile.flush()
        request.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        request.connection.close()
        request.close_connection = True

    return handler


def redirect(location: str, status: int = 302) -> Handler:
    return respond(status, b"", {"Location": location})


def nested_markup(levels: int = 100_000) -> bytes:
    return (b"<html><body>" + b"<div>" * levels + b"Deep text about sanctions." + b"</div>" * levels + b"</body></html>")

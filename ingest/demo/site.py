"""A small local web site on 127.0.0.1 serving feeds and pages, with ETag / Last-Modified support.

The demo serves its sample feeds with it; tests and benchmarks serve theirs.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Resource:
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    conditional: bool = True
    last_modified: float = field(default_factory=time.time)

    @property
    def etag(self) -> str:
        return '"' + hashlib.sha256(self.body).hexdigest()[:16] + '"'


@dataclass(frozen=True)
class LoggedRequest:
    path: str
    host: str
    headers: dict[str, str]
    status: int
    client_port: int  # tells the client's connections apart


Handler = Callable[[BaseHTTPRequestHandler], None]


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        # Clients closing kept-alive connections (or tests cutting them) are not errors of the site.
        pass


class LocalSite:
    """Serve `resources` (path -> Resource, GET) and `handlers` (path -> custom handler, GET and POST) until `close()`."""

    def __init__(self, *, host: str = "127.0.0.1", port: int = 0, latency: float = 0.0) -> None:
        self.resources: dict[str, Resource] = {}
        self.handlers: dict[str, Handler] = {}
        self.requests: list[LoggedRequest] = []
        self.latency = latency
        self.host = host
        self._lock = threading.Lock()
        self._server = _QuietServer((host, port), _make_handler(self))
        self._thread = threading.Thread(target=self._server.serve_forever, name="local-site", daemon=True)
        self._thread.start()

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    def url(self, path: str, host: str | None = None) -> str:
        return f"http://{host or self.host}:{self.port}{path}"

    def put(self, path: str, body: bytes | str, content_type: str = "text/html; charset=utf-8", **options) -> str:  # type: ignore[no-untyped-def]
        data = body.encode() if isinstance(body, str) else body
        with self._lock:
            self.resources[path] = Resource(data, content_type, **options)
        return self.url(path)

    def requests_for(self, path: str) -> list[LoggedRequest]:
        """Requests for `path`, whatever their query string."""
        with self._lock:
            return [request for request in self.requests if request.path.split("?")[0] == path]

    def log(self, request: LoggedRequest) -> None:
        with self._lock:
            self.requests.append(request)

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> LocalSite:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _make_handler(site: LocalSite) -> type[BaseHTTPRequestHandler]:
    class _Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "tradewire-local-site"

        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
            custom = site.handlers.get(self.path.split("?")[0])
            if custom is None:
                self._send(405, b"method not allowed", "text/plain", {})
                return
            self._log(self.path, 0)
            custom(self)

        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            path = self.path.split("#")[0]
            if site.latency:
                time.sleep(site.latency)
            custom = site.handlers.get(path) or site.handlers.get(path.split("?")[0])
            if custom is not None:
                self._log(path, 0)
                custom(self)
                return
            resource = site.resources.get(path) or site.resources.get(path.split("?")[0])
            if resource is None:
                self._send(404, b"not found", "text/plain", {})
                return
            if resource.conditional and self._not_modified(resource):
                self._send(304, b"", None, {"ETag": resource.etag})
                return
            headers = dict(resource.headers)
            if resource.conditional:
                headers.setdefault("ETag", resource.etag)
                headers.setdefault("Last-Modified", formatdate(resource.last_modified, usegmt=True))
            self._send(resource.status, resource.body, resource.content_type, headers)

        def _not_modified(self, resource: Resource) -> bool:
            if self.headers.get("if-none-match"):
                return self.headers["if-none-match"] == resource.etag
            since = self.headers.get("if-modified-since")
            if since:
                try:
                    return parsedate_to_datetime(since).timestamp() >= int(resource.last_modified)
                except (TypeError, ValueError):
                    return False
            return False

        def _log(self, path: str, status: int) -> None:
            site.log(LoggedRequest(path, self.headers.get("host", ""), dict(self.headers), status, self.client_address[1]))

        def _send(self, status: int, body: bytes, content_type: str | None, headers: dict[str, str]) -> None:
            self._log(self.path, status)
            self.send_response(status)
            if content_type:
                self.send_header("Content-Type", content_type)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)) if status != 304 else "0")
            self.end_headers()
            if status != 304:
                self.wfile.write(body)

    return _Handler

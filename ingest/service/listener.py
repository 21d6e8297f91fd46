"""The HTTP API's socket and server: bound before anything starts, so a port in use is a clear start-up error."""

from __future__ import annotations

import contextlib
import ipaddress
import socket
from collections.abc import Iterator

import uvicorn


class ServiceError(RuntimeError):
    """The service cannot start (port in use, no token for a public address, ...)."""


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listener.bind((host, port))
    except OSError as error:
        listener.close()
        raise ServiceError(f"cannot listen on {host}:{port}: {error.strerror}") from None
    listener.listen(128)
    listener.setblocking(False)
    return listener


class ApiServer(uvicorn.Server):
    """uvicorn without its own signal handlers: the service handles SIGTERM, SIGINT and SIGHUP."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield

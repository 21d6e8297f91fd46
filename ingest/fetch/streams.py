"""httpcore's network streams on plain asyncio.

httpcore's own backend under asyncio is anyio's, whose per-call bookkeeping (a cancel scope for every
read and write, a dictionary of typed attributes built for every `get_extra_info`) cost more CPU than
the rest of a conditional GET when a cycle polls thousands of feeds, most of them answering 304.
This backend does the same with an asyncio protocol: a buffer, read and write timeouts, TLS upgrade,
and the `is_readable` test httpcore uses to drop idle connections the server has closed.
"""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import Iterable
from typing import Any

import httpcore

# Reading from the socket pauses while this much is buffered and unread (a slow consumer of a big page).
_HIGH_WATER = 256 * 1024


class _Wire(asyncio.Protocol):
    """The bytes of one connection as they arrive, and whether it has ended."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self.transport: asyncio.Transport | None = None
        self.buffer = bytearray()
        self.ended = False
        self.error: BaseException | None = None
        self._arrived: asyncio.Future[None] | None = None
        self._drained: asyncio.Future[None] | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        if len(self.buffer) > _HIGH_WATER and self.transport is not None:
            self.transport.pause_reading()
        self._wake()

    def eof_received(self) -> bool:
        self.ended = True
        self._wake()
        return False  # the transport closes itself

    def connection_lost(self, error: Exception | None) -> None:
        self.ended = True
        self.error = error
        self._wake()
        self.resume_writing()

    def pause_writing(self) -> None:
        self._drained = self._loop.create_future()

    def resume_writing(self) -> None:
        if self._drained is not None and not self._drained.done():
            self._drained.set_result(None)
        self._drained = None

    def _wake(self) -> None:
        if self._arrived is not None and not self._arrived.done():
            self._arrived.set_result(None)

    async def read(self, max_bytes: int) -> bytes:
        while not self.buffer and not self.ended:
            self._arrived = self._loop.create_future()
            try:
                await self._arrived
            finally:
                self._arrived = None
        if not self.buffer:
            if self.error is not None:
                raise self.error
            return b""
        data = bytes(self.buffer[:max_bytes])
        del self.buffer[:max_bytes]
        if len(self.buffer) <= _HIGH_WATER // 2 and self.transport is not None:
            self.transport.resume_reading()
        return data

    async def drained(self) -> None:
        if self._drained is not None:
            await self._drained


class AsyncioStream(httpcore.AsyncNetworkStream):
    def __init__(self, wire: _Wire) -> None:
        self._wire = wire

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        try:
            async with asyncio.timeout(timeout):
                return await self._wire.read(max_bytes)
        except TimeoutError:
            raise httpcore.ReadTimeout("timed out reading the response") from None
        except OSError as error:
            raise httpcore.ReadError(str(error) or type(error).__name__) from error

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        if not buffer:
            return
        if self._wire.ended or self._wire.transport is None or self._wire.transport.is_closing():
            raise httpcore.WriteError("the connection is closed")
        try:
            self._wire.transport.write(buffer)
            async with asyncio.timeout(timeout):
                await self._wire.drained()
        except TimeoutError:
            raise httpcore.WriteTimeout("timed out sending the request") from None
        except OSError as error:
            raise httpcore.WriteError(str(error) or type(error).__name__) from error

    async def aclose(self) -> None:
        if self._wire.transport is not None:
            self._wire.transport.close()

    async def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.AsyncNetworkStream:
        assert self._wire.transport is not None
        loop = asyncio.get_running_loop()
        try:
            async with asyncio.timeout(timeout):
                transport = await loop.start_tls(
                    self._wire.transport, self._wire, ssl_context, server_hostname=server_hostname
                )
        except TimeoutError:
            raise httpcore.ConnectTimeout("timed out in the TLS handshake") from None
        except (OSError, ssl.SSLError) as error:
            await self.aclose()
            raise httpcore.ConnectError(f"TLS handshake failed: {error}") from error
        if transport is None:
            raise httpcore.ConnectError("the connection closed during the TLS handshake")
        self._wire.transport = transport  # type: ignore[assignment]
        return self

    def get_extra_info(self, info: str) -> Any:
        if info == "is_readable":  # an idle connection the server closed, or wrote to unasked: not reusable
            return self._wire.ended or bool(self._wire.buffer)
        transport = self._wire.transport
        if transport is None:
            return None
        return transport.get_extra_info({"client_addr": "sockname", "server_addr": "peername"}.get(info, info))


class AsyncioBackend(httpcore.AsyncNetworkBackend):
    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        loop = asyncio.get_running_loop()
        try:
            async with asyncio.timeout(timeout):
                transport, wire = await loop.create_connection(
                    lambda: _Wire(loop), host, port, local_addr=(local_address, 0) if local_address else None
                )
        except TimeoutError:
            raise httpcore.ConnectTimeout(f"timed out connecting to {host}:{port}") from None
        except OSError as error:
            raise httpcore.ConnectError(str(error) or type(error).__name__) from error
        for option in socket_options or ():
            transport.get_extra_info("socket").setsockopt(*option)
        return AsyncioStream(wire)

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)

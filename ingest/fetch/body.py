"""Reading a response body with a size cap that holds even for compressed bodies (no gzip bombs), into memory or,
for a large download (a sanctions list), into a file as it arrives."""

from __future__ import annotations

import zlib
from typing import BinaryIO

import httpx

from tradewire.ingest.errors import FetchError, TooLarge

ACCEPT_ENCODING = "gzip, deflate"


async def read_capped(response: httpx.Response, max_bytes: int, into: BinaryIO | None = None) -> bytes:
    """The decoded body, or TooLarge as soon as more than `max_bytes` would be decoded. With `into`, the body is
    written there as it is decoded and nothing is returned (b"")."""
    declared = response.headers.get("content-length")
    encoding = response.headers.get("content-encoding", "identity").strip().lower()
    if encoding in ("", "identity") and declared and declared.isdigit() and int(declared) > max_bytes:
        raise TooLarge(f"response is {int(declared):,} bytes; the limit is {max_bytes:,}", url=str(response.url))
    decoder = _decoder(encoding, str(response.url))
    body = _Body(into)
    async for chunk in response.aiter_raw():
        if decoder is None:
            body.add(chunk)
        else:
            body.add(decoder.decompress(chunk, max_bytes + 1 - body.size))
            while decoder.unconsumed_tail and body.size <= max_bytes:
                body.add(decoder.decompress(decoder.unconsumed_tail, max_bytes + 1 - body.size))
        if body.size > max_bytes:
            what = "decompressed body" if decoder is not None else "response"
            raise TooLarge(f"{what} exceeds the limit of {max_bytes:,} bytes", url=str(response.url))
    if decoder is not None:
        body.add(decoder.flush())
        if body.size > max_bytes:
            raise TooLarge(f"decompressed body exceeds the limit of {max_bytes:,} bytes", url=str(response.url))
    return body.value()


class _Body:
    """The bytes read so far: kept in memory, or written to a file."""

    def __init__(self, into: BinaryIO | None) -> None:
        self._into = into
        self._kept = bytearray()
        self.size = 0

    def add(self, data: bytes) -> None:
        self.size += len(data)
        if self._into is None:
            self._kept += data
        else:
            self._into.write(data)

    def value(self) -> bytes:
        return bytes(self._kept)


class _Deflate:
    """Deflate as sent in the wild: zlib-wrapped or raw."""

    def __init__(self) -> None:
        self._inner: zlib._Decompress | None = None  # type: ignore[name-defined]
        self.unconsumed_tail = b""

    def decompress(self, data: bytes, max_length: int) -> bytes:
        if self._inner is None:
            self._inner = zlib.decompressobj(zlib.MAX_WBITS if data[:1] == b"\x78" else -zlib.MAX_WBITS)
        result = self._inner.decompress(data, max(max_length, 1))
        self.unconsumed_tail = self._inner.unconsumed_tail
        return result

    def flush(self) -> bytes:
        return self._inner.flush() if self._inner is not None else b""


def _decoder(encoding: str, url: str):  # type: ignore[no-untyped-def]
    if encoding in ("", "identity"):
        return None
    if encoding in ("gzip", "x-gzip"):
        return _Checked(zlib.decompressobj(16 + zlib.MAX_WBITS), url)
    if encoding == "deflate":
        return _Checked(_Deflate(), url)
    raise FetchError(f"unsupported content-encoding {encoding!r} (tradewire asks for {ACCEPT_ENCODING})", url=url)


class _Checked:
    """Turns corrupt compressed data into a FetchError that names the URL."""

    def __init__(self, inner, url: str) -> None:  # type: ignore[no-untyped-def]
        self._inner = inner
        self._url = url

    @property
    def unconsumed_tail(self) -> bytes:
        return self._inner.unconsumed_tail

    def decompress(self, data: bytes, max_length: int) -> bytes:
        try:
            return self._inner.decompress(data, max(max_length, 1))
        except zlib.error as error:
            raise FetchError(f"corrupt compressed body: {error}", url=self._url) from None

    def flush(self) -> bytes:
        try:
            return self._inner.flush()
        except zlib.error as error:
            raise FetchError(f"corrupt compressed body: {error}", url=self._url) from None

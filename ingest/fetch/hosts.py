"""Per-host politeness: at most N requests in flight to one host, and a minimum gap between them."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


class HostLimiter:
    def __init__(self, per_host: int, interval: float) -> None:
        self._per_host = per_host
        self._interval = interval
        self._slots: dict[str, asyncio.Semaphore] = {}
        self._next_start: dict[str, float] = {}

    @asynccontextmanager
    async def slot(self, host: str) -> AsyncIterator[None]:
        key = host.lower()
        semaphore = self._slots.setdefault(key, asyncio.Semaphore(self._per_host))
        async with semaphore:
            if self._interval:
                now = time.monotonic()
                start = max(now, self._next_start.get(key, 0.0))
                self._next_start[key] = start + self._interval
                if start > now:
                    await asyncio.sleep(start - now)
            yield

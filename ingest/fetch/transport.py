"""The client's transport: one small connection pool per host behind the one shared client.

httpcore's pool looks at every one of its connections for each request; with a single pool holding
connections to hundreds of sites, that bookkeeping costs more CPU than the request. Per-host pools keep
it constant. Pools whose connections have all expired are dropped once there are many.
"""

from __future__ import annotations

import ssl
from collections import OrderedDict
from pathlib import Path

import certifi
import httpx

from tradewire.ingest.fetch.guard import AddressPolicy, GuardedNetworkBackend

_KEEP_HOSTS = 512


class PerHostTransport(httpx.AsyncBaseTransport):
    def __init__(
        self, policy: AddressPolicy, *, per_host: int, ca_certs: Path | None = None, keepalive_expiry: float = 30.0
    ) -> None:
        self._backend = GuardedNetworkBackend(policy)
        # One TLS context for every pool: building one loads the CA bundle (tens of milliseconds).
        self._tls = ssl.create_default_context(cafile=certifi.where())
        if ca_certs is not None:
            self._tls.load_verify_locations(cafile=ca_certs)
        self._per_host = per_host
        self._keepalive_expiry = keepalive_expiry
        self._pools: OrderedDict[tuple[bytes, str, int | None], httpx.AsyncHTTPTransport] = OrderedDict()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        key = (request.url.raw_scheme, request.url.host, request.url.port)
        pool = self._pools.get(key)
        if pool is None:
            pool = self._pools[key] = self._new_pool()
            if len(self._pools) > _KEEP_HOSTS:
                await self._drop_idle()
        else:
            self._pools.move_to_end(key)
        return await pool.handle_async_request(request)

    def _new_pool(self) -> httpx.AsyncHTTPTransport:
        transport = httpx.AsyncHTTPTransport(
            verify=self._tls,
            retries=0,
            limits=httpx.Limits(
                max_connections=self._per_host, max_keepalive_connections=self._per_host,
                keepalive_expiry=self._keepalive_expiry,
            ),
        )
        # httpx takes no network backend argument; the guarded backend must see every new connection.
        transport._pool._network_backend = self._backend
        return transport

    async def _drop_idle(self) -> None:
        for key in list(self._pools)[: len(self._pools) - _KEEP_HOSTS // 2]:
            pool = self._pools[key]
            if not pool._pool.connections:
                del self._pools[key]
                await pool.aclose()

    async def aclose(self) -> None:
        for pool in self._pools.values():
            await pool.aclose()
        self._pools.clear()

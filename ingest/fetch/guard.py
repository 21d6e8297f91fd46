"""Where tradewire may connect: no private, loopback, link-local or otherwise internal addresses unless allowed.

The check runs on the resolved addresses, and the connection is then made to the address that was
checked (so a DNS answer that changes between check and connect cannot slip an internal address in).
The origin (host and port) of an operator-configured feed URL is trusted for that feed's own requests (an
intranet feed), and for its article pages on the same origin when the feed says `allow_private: true`; never
another port of the same host, and never a link-local address: that is where cloud metadata services answer
(169.254.169.254).
"""

from __future__ import annotations

import asyncio
import contextvars
import ipaddress
import socket
from typing import Any

import httpcore

from tradewire.ingest.errors import RefusedURL
from tradewire.ingest.fetch.streams import AsyncioBackend

# The origin (host, port) the current request may reach even when it is private (a configured feed's own).
Origin = tuple[str, int]
trusted_origin: contextvars.ContextVar[Origin | None] = contextvars.ContextVar("trusted_origin", default=None)


def describe_address(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    """Why an address is off limits, or None when it is a public address."""
    if isinstance(address, ipaddress.IPv6Address):
        # IPv4 inside IPv6 (mapped, 6to4, Teredo) is judged as the IPv4 address it carries.
        embedded = address.ipv4_mapped or address.sixtofour or (address.teredo[1] if address.teredo else None)
        if embedded is not None:
            return describe_address(embedded)
        if address.is_site_local:
            return "private"
    if address.is_loopback:
        return "loopback"
    if address.is_link_local:
        return "link-local"
    if address.is_private:
        return "private"
    if address.is_multicast or address.is_reserved or address.is_unspecified:
        return "reserved"
    if not address.is_global:
        return "non-public"
    return None


class AddressPolicy:
    def __init__(self, allow_private: bool) -> None:
        self.allow_private = allow_private

    def exempt(self, host: str, port: int) -> bool:
        return self.allow_private or trusted_origin.get() == (host.lower(), port)

    async def resolve_checked(self, host: str, port: int) -> list[str]:
        """The host's addresses, all public (or the host is exempt); RefusedURL otherwise."""
        addresses = await _resolve(host, port)
        if self.allow_private:
            return addresses
        trusted = self.exempt(host, port)
        for address in addresses:
            reason = describe_address(ipaddress.ip_address(address))
            if reason is None or (trusted and reason != "link-local"):
                continue
            even = " even for a configured feed" if trusted else ""
            raise RefusedURL(
                f"{host} resolves to {reason} address {address}; private addresses are refused{even} "
                "(set fetch.allow_private_urls or TRADEWIRE_ALLOW_PRIVATE_URLS=1 to allow them)"
            )
        return addresses


async def _resolve(host: str, port: int) -> list[str]:
    try:
        return [str(ipaddress.ip_address(host.strip("[]")))]
    except ValueError:
        pass
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise httpcore.ConnectError(f"cannot resolve {host}: {error.strerror}") from None
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


class GuardedNetworkBackend(AsyncioBackend):
    """A network backend for httpcore connecting only to addresses the policy allows."""

    def __init__(self, policy: AddressPolicy) -> None:
        self._policy = policy

    async def connect_tcp(self, host: str, port: int, **options: Any) -> httpcore.AsyncNetworkStream:
        """The first of the host's allowed addresses that answers (`options`: httpcore's timeout, local address
        and socket options)."""
        addresses = await self._policy.resolve_checked(host, port)
        last_error: Exception | None = None
        for address in addresses:
            try:
                return await super().connect_tcp(address, port, **options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as error:
                last_error = error
        assert last_error is not None
        raise last_error

    async def connect_unix_socket(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise RefusedURL("unix sockets are not used by tradewire")


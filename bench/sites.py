"""Sites served from a separate process, as real web servers are: serving must not compete with tradewire's loop."""

from __future__ import annotations

import asyncio
import multiprocessing
import socket
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from bench.httpd import BenchServer, PageMaker, Route

Routes = dict[tuple[str, str], Route]


def _serve(
    port: int, latency: float, build: Callable[..., Routes], args: tuple[Any, ...], pages: PageMaker | None,
    control: Connection,
) -> None:
    routes = build(*args)

    async def main() -> None:
        server = BenchServer(routes, port, latency=latency, pages=pages)
        await server.start()
        control.send(sorted({host for host, _ in routes}))
        loop = asyncio.get_running_loop()
        while (command := await loop.run_in_executor(None, control.recv)) != "stop":
            control.send(server.stats.summary())
            if command == "reset":
                server.reset()
        await server.close()

    asyncio.run(main())


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Served:
    hosts: list[str]
    _control: Connection

    def stats(self, *, reset: bool = False) -> dict[str, int]:
        """Requests, 304s and the peak of open connections per host since the last reset."""
        self._control.send("reset" if reset else "stats")
        return self._control.recv()  # type: ignore[no-any-return]


@contextmanager
def serving(
    port: int, build: Callable[..., Routes], *args: Any, latency: float = 0.0, pages: PageMaker | None = None
) -> Iterator[Served]:
    """Serve the routes `build(*args)` makes (built in a child process), every host (127.x.y.z) on `port`; paths
    without a route are asked of `pages` (a module-level function, so the child process can have it)."""
    context = multiprocessing.get_context("spawn")
    ours, theirs = context.Pipe()
    process = context.Process(target=_serve, args=(port, latency, build, args, pages, theirs), daemon=True)
    process.start()
    try:
        while not ours.poll(1):
            if not process.is_alive():
                raise RuntimeError(f"the benchmark sites did not start (exit code {process.exitcode})")
        yield Served(ours.recv(), ours)
    finally:
        ours.send("stop")
        process.join(timeout=10)
        if process.is_alive():
            process.kill()

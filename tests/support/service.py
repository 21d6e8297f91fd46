"""`tradewire serve` as a real subprocess, and waiting for what it should do."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from tests.support.cli import Tradewire
from tests.support.receivers import free_port

T = TypeVar("T")

# Polls every couple of seconds so tests see the schedule work within their time.
FAST_POLLING = {"polling": {"default_interval": "2s", "min_interval": "1s", "max_interval": "4s", "jitter": 0}}


@dataclass
class Served:
    tradewire: Tradewire
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[str] | None = None
    token: str | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, *extra: str) -> Served:
        log = open(self.tradewire.root / f"serve-{self.port}-{time.monotonic_ns()}.log", "w")  # noqa: SIM115
        self.log_path = log.name
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tradewire", "serve", "--port", str(self.port), *extra],
            env=self.tradewire.environment(), stdout=log, stderr=subprocess.STDOUT, text=True,
        )
        try:
            wait_for(self._answers, timeout=60, what="the service to answer /healthz")
        except BaseException:
            self.process.kill()
            self.process.wait()
            raise
        return self

    def _answers(self) -> bool:
        """The HTTP API is up: /healthz answers, healthy (200) or degraded (503)."""
        try:
            with urllib.request.urlopen(self.url + "/healthz", timeout=5):
                return True
        except urllib.error.HTTPError:
            return True
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            assert self.process is not None
            if self.process.poll() is not None:
                raise AssertionError(f"tradewire serve exited {self.process.returncode}:\n{self.log()}") from None
            return False

    def log(self) -> str:
        return open(self.log_path).read()

    def get(self, path: str, *, check: bool = True, token: str | None = None) -> Any:
        request = urllib.request.Request(self.url + path)
        if token or self.token:
            request.add_header("Authorization", f"Bearer {token or self.token}")
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                body = response.read().decode()
                return json.loads(body) if response.headers.get_content_type() == "application/json" else body
        except urllib.error.HTTPError as error:
            if check:
                raise AssertionError(f"GET {path}: HTTP {error.code} {error.read().decode()}") from None
            return None
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            if check:
                raise
            return None

    def signal(self, signum: int) -> None:
        assert self.process is not None
        os.kill(self.process.pid, signum)

    def wait(self, timeout: float) -> int:
        assert self.process is not None
        return self.process.wait(timeout=timeout)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def wait_for(condition: Callable[[], T], *, timeout: float, what: str, interval: float = 0.2) -> T:
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")
        time.sleep(interval)

"""What the HTTP API needs from the running service, injected so search/ never imports ingest/."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tradewire.search.alerts import Outbox
from tradewire.search.backends import IndexBackend


class FeedChangeError(ValueError):
    """A feed cannot be added or removed (bad input, duplicate: 400; unknown name: 404; feeds.yaml not writable:
    503); the message says why."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class ApiServices:
    backend: IndexBackend
    outbox: Outbox
    # Each feed's configuration joined with its state (the rows of `tradewire feeds status --json`).
    feeds: Callable[[], list[dict[str, Any]]]
    add_feed: Callable[[dict[str, Any]], None]
    remove_feed: Callable[[str], None]
    # {"status": "ok"|"degraded", ...}: scheduler alive, index reachable, backlogs.
    health: Callable[[], dict[str, Any]]
    # (name, limit) -> the JSON of `tradewire screen --json`; raises LookupError when no list is loaded.
    screen: Callable[[str, int], dict[str, Any]] | None = None

"""Feeds added and removed through the HTTP API: written to feeds.yaml, then taken up by a reload."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from tradewire.core.durations import parse_duration
from tradewire.ingest.feeds.registry import FeedConfig, add_feed, remove_feed
from tradewire.search.api.services import FeedChangeError


class FeedChanges:
    def __init__(self, feeds_path: Path, reload: Callable[[], str | None]) -> None:
        """`reload` loads the configuration again and returns why it was refused, or None."""
        self.path = feeds_path
        self._reload = reload

    def add(self, values: dict[str, Any]) -> None:
        try:
            if "interval" in values:
                values["interval"] = parse_duration(values["interval"])
            add_feed(self.path, FeedConfig(**values))
        except ValueError as error:
            raise FeedChangeError(str(error).splitlines()[-1].strip()) from None
        except OSError as error:
            raise FeedChangeError(f"cannot write {self.path}: {error.strerror}", status=503) from None
        refused = self._reload()
        if refused:
            raise FeedChangeError(f"feeds.yaml no longer loads: {refused}")

    def remove(self, name: str) -> None:
        try:
            remove_feed(self.path, name)
        except ValueError as error:  # no such feed
            raise FeedChangeError(str(error), status=404) from None
        except OSError as error:
            raise FeedChangeError(f"cannot write {self.path}: {error.strerror}", status=503) from None
        self._reload()

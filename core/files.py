"""The files of a data directory, named in one place."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class DataFiles:
    root: Path

    @property
    def state(self) -> Path:
        """Feeds, entries, stories and the index spool (ingest.state)."""
        return self.root / "state.db"

    @property
    def alerts(self) -> Path:
        """The durable alert outbox (search.alerts.outbox)."""
        return self.root / "alerts.db"

    @property
    def index(self) -> Path:
        """The embedded index, when no Elasticsearch URL is set (search.backends.sqlite)."""
        return self.root / "index.db"

    @property
    def pid(self) -> Path:
        """The running `serve`'s process id, for `tradewire reload`."""
        return self.root / "serve.pid"

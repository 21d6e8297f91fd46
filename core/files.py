"""The files of a data directory, named in one place."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path


def data_home() -> Path:
    """Where tradewire keeps its data unless told otherwise: $XDG_DATA_HOME/tradewire, ~/.local/share/tradewire."""
    return Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "tradewire"


def cache_home() -> Path:
    """Where tradewire keeps what it can make again (the language model's uncompressed copy): $TRADEWIRE_CACHE_DIR,
    else $XDG_CACHE_HOME/tradewire, ~/.cache/tradewire. Per user rather than per data directory: every
    installation of the same version makes the same files."""
    explicit = os.environ.get("TRADEWIRE_CACHE_DIR")
    if explicit:
        return Path(explicit)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "tradewire"


def demo_home() -> Path:
    """Where `tradewire demo` leaves its data (and its configuration, in config/), apart from real data."""
    return data_home().with_name("tradewire-demo")


@dataclass(frozen=True, slots=True)
class DataFiles:
    root: Path
    # Feeds, entries, stories and the index spool (ingest.state).
    state: Path = field(init=False)
    # The durable alert outbox (search.alerts.outbox).
    alerts: Path = field(init=False)
    # The embedded index, when no Elasticsearch URL is set (search.backends.sqlite).
    index: Path = field(init=False)
    # The running `serve`'s process id, for `tradewire reload`.
    pid: Path = field(init=False)
    # Where a sanctions list's download is streamed while it is fetched and parsed (ingest.lists.refresh).
    downloads: Path = field(init=False)

    def __post_init__(self) -> None:
        for name, file in (("state", "state.db"), ("alerts", "alerts.db"), ("index", "index.db"), ("pid", "serve.pid"),
                           ("downloads", "downloads")):
            object.__setattr__(self, name, self.root / file)

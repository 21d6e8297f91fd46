"""`tradewire`: the command line. Each command group lives in its own module."""

from __future__ import annotations

from tradewire.ingest.cli.app import main

__all__ = ["main"]

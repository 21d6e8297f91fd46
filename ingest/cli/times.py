"""Moments as the CLI's tables show them: how long ago, how soon, in one short unit."""

from __future__ import annotations

from datetime import datetime, timezone


def ago(moment: datetime | None) -> str:
    if moment is None:
        return "never"
    seconds = (datetime.now(timezone.utc) - moment).total_seconds()
    return f"{_short(seconds)} ago"


def ahead(moment: datetime | None) -> str:
    if moment is None:
        return "next cycle"
    seconds = (moment - datetime.now(timezone.utc)).total_seconds()
    return "due" if seconds <= 0 else f"in {_short(seconds)}"


def _short(seconds: float) -> str:
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return f"{seconds / size:.0f}{unit}"
    return f"{seconds:.0f}s"

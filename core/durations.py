"""Durations as people write them in configuration and on the command line: 90s, 15m, 2h, 7d, 1h30m."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Annotated

from pydantic import BeforeValidator

_PART = re.compile(r"(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)")
_UNITS = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def parse_duration(text: str) -> timedelta:
    """Parse '15m', '1h30m', '7d' or a plain number of seconds; ValueError with an example otherwise."""
    compact = text.strip().lower().replace(" ", "")
    if re.fullmatch(r"\d+(\.\d+)?", compact):
        return _within_range(text, float(compact))
    position = 0
    seconds = 0.0
    for match in _PART.finditer(compact):
        if match.start() != position:
            break
        seconds += float(match.group(1)) * _UNITS[match.group(2)]
        position = match.end()
    if position != len(compact) or not compact:
        raise ValueError(f"invalid duration {text!r} (expected e.g. 90s, 15m, 2h, 7d, 1h30m)")
    return _within_range(text, seconds)


def _within_range(text: str, seconds: float) -> timedelta:
    try:
        return timedelta(seconds=seconds)
    except OverflowError:
        raise ValueError(f"duration {text!r} is too long (at most {timedelta.max.days:,} days)") from None


def format_duration(value: timedelta) -> str:
    seconds = int(value.total_seconds())
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds and seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


# A configured interval, throttle or retry delay is added to the current time: one longer than a century is a
# mistake, and one of millions of days would overflow the date it is added to.
MAX_CONFIGURED = timedelta(days=36_525)


def _coerce(value: object) -> object:
    if isinstance(value, str):
        value = parse_duration(value)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        value = _within_range(str(value), value)
    if isinstance(value, timedelta) and abs(value) > MAX_CONFIGURED:
        raise ValueError(f"duration {format_duration(value)} is longer than {MAX_CONFIGURED.days:,} days (100 years)")
    return value


Duration = Annotated[timedelta, BeforeValidator(_coerce)]

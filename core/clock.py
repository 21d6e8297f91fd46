"""Moments as every store writes them: aware UTC datetimes, ISO 8601 text in the databases."""

from __future__ import annotations

from datetime import datetime, timezone


def now_utc() -> datetime:
    return datetime.now(timezone.utc)


def iso(moment: datetime | None) -> str | None:
    return moment.astimezone(timezone.utc).isoformat() if moment else None


def moment(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None

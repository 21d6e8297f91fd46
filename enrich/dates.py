"""Dates mentioned in a sentence, resolved against the article's publication date."""

from __future__ import annotations

import re
from datetime import date, timedelta

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
            ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
            ("october", "oct"), ("november", "nov"), ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_WEEKDAYS = {name: index for index, name in enumerate(
    ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"

_PATTERNS = [
    re.compile(r"\b(?P<year>\d{4})-(?P<mnum>\d{1,2})-(?P<day>\d{1,2})\b"),
    re.compile(_MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(?P<year>\d{4}))?", re.IGNORECASE),
    re.compile(r"\b(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH + r"(?:,?\s+(?P<year>\d{4}))?", re.IGNORECASE),
    re.compile(r"(?:(?P<year>\d{4})年)?(?P<mnum>\d{1,2})月(?P<day>\d{1,2})[日号]"),
]
_WEEKDAY = re.compile(r"\b(?:on|last|this)\s+(?P<weekday>" + "|".join(_WEEKDAYS) + r")\b", re.IGNORECASE)
_RELATIVE = re.compile(r"\b(?P<word>yesterday|today|tomorrow)\b|(?P<zh>昨天|今天|明天|昨日|今日)", re.IGNORECASE)
_RELATIVE_DAYS = {"yesterday": -1, "today": 0, "tomorrow": 1, "昨天": -1, "昨日": -1, "今天": 0, "今日": 0, "明天": 1}
SAME_DAY = re.compile(r"\b(?:on\s+)?the\s+same\s+day\b|同一天|同日|当天", re.IGNORECASE)

# A month and day without a year is taken in the publication year unless that lands too far ahead.
_MAX_DAYS_AHEAD = 180


def resolve_date(sentence: str, published: date | None) -> date | None:
    """The first date the sentence names, with a missing year or a relative day taken from `published`."""
    for pattern in _PATTERNS:
        match = pattern.search(sentence)
        if match is None:
            continue
        groups = match.groupdict()
        month = int(groups["mnum"]) if groups.get("mnum") else _MONTHS[groups["month"].lower()]
        day = int(groups["day"])
        year = int(groups["year"]) if groups.get("year") else None
        resolved = _with_year(year, month, day, published)
        if resolved is not None:
            return resolved
    if published is None:
        return None
    match = _RELATIVE.search(sentence)
    if match:
        word = (match.group("word") or match.group("zh")).lower()
        return published + timedelta(days=_RELATIVE_DAYS[word])
    match = _WEEKDAY.search(sentence)
    if match:
        weekday = _WEEKDAYS[match.group("weekday").lower()]
        return published - timedelta(days=(published.weekday() - weekday) % 7)
    return None


def _with_year(year: int | None, month: int, day: int, published: date | None) -> date | None:
    try:
        if year is not None:
            return date(year, month, day)
        if published is None:
            return None
        candidate = date(published.year, month, day)
        if (candidate - published).days > _MAX_DAYS_AHEAD:
            candidate = date(published.year - 1, month, day)
        return candidate
    except ValueError:
        return None

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

# One pattern for every form (ISO, "June 6, 2025", "6 June", 6月7日), each form with its own group names.
_DATE = re.compile(
    "|".join([
        r"\b(?P<y1>\d{4})-(?P<n1>\d{1,2})-(?P<d1>\d{1,2})\b",
        _MONTH.replace("month", "m2") + r"\s+(?P<d2>\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(?P<y2>\d{4}))?",
        r"\b(?P<d3>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH.replace("month", "m3") + r"(?:,?\s+(?P<y3>\d{4}))?",
        r"(?:(?P<y4>\d{4})年)?(?P<n4>\d{1,2})月(?P<d4>\d{1,2})[日号]",
    ]),
    re.IGNORECASE,
)
_WEEKDAY = re.compile(r"\b(?:on|last|this)\s+(?P<weekday>" + "|".join(_WEEKDAYS) + r")\b", re.IGNORECASE)
_RELATIVE = re.compile(r"\b(?P<word>yesterday|today|tomorrow)\b|(?P<zh>昨天|今天|明天|昨日|今日)", re.IGNORECASE)
_RELATIVE_DAYS = {"yesterday": -1, "today": 0, "tomorrow": 1, "昨天": -1, "昨日": -1, "今天": 0, "今日": 0, "明天": 1}
SAME_DAY = re.compile(r"\b(?:on\s+)?the\s+same\s+day\b|同一天|同日|当天", re.IGNORECASE)

# A month and day without a year is taken in the publication year unless that lands too far ahead.
_MAX_DAYS_AHEAD = 180


_NUMBER = re.compile(r"\d+")
# Every date form above has a digit (a month needs its day); only relative days and weekdays do not.
_MAYBE_DATE = re.compile(r"\d|[昨今明]|\b(?:yesterday|today|tomorrow|\w+day)\b", re.IGNORECASE)


def resolve_date(sentence: str, published: date | None) -> date | None:
    """The first date the sentence names, with a missing year or a relative day taken from `published`."""
    if not _MAYBE_DATE.search(sentence):
        return None
    # Every date form has a number: look only around the numbers (the month-name pattern is slow to try everywhere).
    for number in _NUMBER.finditer(sentence):
        window_start = max(0, number.start() - 12)
        match = _DATE.search(sentence, window_start, number.end() + 12)
        if match is None or match.end() < number.start():
            continue
        groups = {name[0]: value for name, value in match.groupdict().items() if value is not None}
        month = int(groups["n"]) if "n" in groups else _MONTHS[groups["m"].lower()]
        resolved = _with_year(int(groups["y"]) if "y" in groups else None, month, int(groups["d"]), published)
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

"""Field readers shared by the list formats: dates as each list writes them, identifiers with their type."""

from __future__ import annotations

import re
from datetime import date, datetime

_IMO = re.compile(r"\bIMO\D{0,16}(\d{7})\b", re.IGNORECASE)


def parse_date(value: str, *formats: str) -> date | None:
    """The first of `formats` (strptime) that reads `value`; ISO dates and timestamps always; None if none does.

    Lists write unknown parts as zeros ("00/00/1965"): such a value is no date of listing and reads as None.
    """
    value = value.strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        pass
    for form in formats:
        try:
            return datetime.strptime(value, form).date()
        except ValueError:
            continue
    return None


def identifier(kind: str, number: str) -> str:
    """'IMO 9187629', 'Registration ID 914403001922038216'; a number that already names its type is kept as it is."""
    kind, number = " ".join(kind.split()), " ".join(number.split())
    if not number:
        return ""
    if not kind or number.lower().startswith(kind.lower()):
        return number
    imo = _IMO.fullmatch(number)
    if imo:
        return f"IMO {imo.group(1)}"
    return f"{kind} {number}"


def imo_numbers(text: str) -> list[str]:
    """'IMO 9187629' for each IMO number written in free text ("(IMO number):9187629")."""
    return [f"IMO {number}" for number in _IMO.findall(text)]

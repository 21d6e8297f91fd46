"""UK sanctions list, the OFSI consolidated list CSV (`uk_csv`, ConList.csv).

One row per name: rows sharing a `Group ID` are one designation. `Name 1`..`Name 5` are given and
middle names, `Name 6` the surname (or an entity's whole name); `Alias Type` tells the primary name
from aliases ("Primary Name", "AKA", "FKA"; `Alias Quality` "Low" aliases are left out),
`Name Non-Latin Script` gives the name in its own script. `Group Type` (Individual, Entity, Ship),
`Regime`, `Listed On` (dd/mm/yyyy), `Nationality`, `Country`, passport and national identification
numbers, ships' IMO numbers in `Other Information`.

A group's rows may lie anywhere in the file, so groups are gathered and yielded once the whole file
has been read: a file that breaks yields nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import BinaryIO

from tradewire.enrich.screening.countries import country_codes
from tradewire.enrich.screening.entries import EntryKind, ListEntry, unique
from tradewire.ingest.lists.errors import ListFormatError
from tradewire.ingest.lists.fields import identifier, imo_numbers, parse_date
from tradewire.ingest.lists.lines import csv_records

FORMAT = "uk_csv"
_REQUIRED = {"Name 6", "Group Type", "Group ID", "Regime", "Alias Type"}
_KINDS: dict[str, EntryKind] = {"individual": "person", "entity": "organization", "ship": "vessel"}
# "(1) Russia (2) Ukraine" -> Russia, Ukraine
_NUMBERED = re.compile(r"\(\d+\)")


@dataclass
class _Group:
    kind: EntryKind
    primary: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    programs: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    identifiers: list[str] = field(default_factory=list)
    listed_on: date | None = None


def parse(stream: BinaryIO, list_name: str) -> Iterator[ListEntry]:
    groups: dict[str, _Group] = {}
    for line, row in csv_records(stream, list_name, FORMAT, _REQUIRED):
        group_id = row["Group ID"].strip()
        name = _row_name(row)
        if not group_id or not name:
            raise ListFormatError(list_name, FORMAT, f"line {line}", "a row without Group ID or Name 6")
        group = groups.get(group_id)
        if group is None:
            group = groups[group_id] = _Group(_KINDS.get(row["Group Type"].strip().lower(), "other"))
        alias_type = row["Alias Type"].strip().lower()
        if alias_type.startswith("primary name") and not alias_type.endswith("variation"):
            group.primary.append(name)
        elif row.get("Alias Quality", "").strip().lower() != "low":
            group.aliases.append(name)
        group.aliases.append(row.get("Name Non-Latin Script", ""))
        group.programs.append(row["Regime"])
        for column in ("Nationality", "Country", "Country of Birth"):
            group.countries += _NUMBERED.split(row.get(column, ""))
        group.identifiers += [identifier("Passport", row.get("Passport Number", "")),
                              identifier("National ID", row.get("National Identification Number", "")),
                              *imo_numbers(row.get("Other Information", ""))]
        group.listed_on = group.listed_on or parse_date(row.get("Listed On", ""), "%d/%m/%Y")
    for group_id, group in groups.items():
        yield ListEntry(
            list_name=list_name, entry_id=group_id, kind=group.kind, names=unique(group.primary + group.aliases),
            programs=unique(group.programs), countries=country_codes(group.countries),
            identifiers=unique(group.identifiers), listed_on=group.listed_on,
        )


def _row_name(row: dict[str, str]) -> str:
    parts = [row.get(f"Name {number}", "") for number in range(1, 6)] + [row["Name 6"]]
    return " ".join(part.strip() for part in parts if part.strip())

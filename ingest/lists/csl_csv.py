"""US Consolidated Screening List CSV (`csl_csv`): eleven export-screening lists of the Departments of
Commerce, State and the Treasury in one file, among them the BIS Entity List.

One row per entry: `source` (e.g. "Entity List (EL) - Bureau of Industry and Security"),
`entity_number` (the source list's own id where it has one; `_id` otherwise), `type`, `programs` and
`alt_names` (';'-separated), `addresses` ("street, city, state, postal code, country code; ..."),
`ids` ("type, number, country; ..."), `citizenships` and `nationalities` (country codes), `start_date`.
A row of a source without programmes (the Entity List, the Unverified List) takes the source's short
name ("EL") as its programme, so every entry says which list holds it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import BinaryIO

from tradewire.enrich.screening.countries import country_codes
from tradewire.enrich.screening.entries import EntryKind, ListEntry, unique
from tradewire.ingest.lists.errors import ListFormatError
from tradewire.ingest.lists.fields import identifier, parse_date
from tradewire.ingest.lists.lines import csv_records

FORMAT = "csl_csv"
_REQUIRED = {"source", "name", "type", "programs", "alt_names"}
_KINDS: dict[str, EntryKind] = {"individual": "person", "entity": "organization", "vessel": "vessel", "aircraft": "aircraft"}
_SOURCE_SHORT = re.compile(r"\(([A-Z][A-Za-z-]*)\)")


def parse(stream: BinaryIO, list_name: str) -> Iterator[ListEntry]:
    for line, row in csv_records(stream, list_name, FORMAT, _REQUIRED):
        entry_id = row.get("entity_number", "").strip() or row.get("_id", "").strip()
        name = row["name"].strip()
        if not entry_id or not name:
            raise ListFormatError(list_name, FORMAT, f"line {line}", "a row without entity_number (or _id) or name")
        programs = _split(row["programs"])
        if not programs:
            short = _SOURCE_SHORT.search(row["source"])
            programs = [short.group(1) if short else row["source"]]
        countries = [address.rsplit(",", 1)[-1] for address in _split(row.get("addresses", ""))]
        countries += _split(row.get("citizenships", "")) + _split(row.get("nationalities", ""))
        ids = []
        for item in _split(row.get("ids", "")):
            kind, _, rest = item.partition(",")
            ids.append(identifier(kind, rest.rsplit(",", 1)[0] if rest.count(",") else rest))
        yield ListEntry(
            list_name=list_name, entry_id=entry_id, kind=_KINDS.get(row["type"].strip().lower(), "organization"),
            names=unique([name, *_split(row["alt_names"])]), programs=unique(programs),
            countries=country_codes(countries), identifiers=unique(ids),
            listed_on=parse_date(row.get("start_date", "")), remarks=row.get("remarks", "").strip()[:500],
        )


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(";") if part.strip()]

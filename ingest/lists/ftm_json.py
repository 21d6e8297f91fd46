"""OpenSanctions' FollowTheMoney entities as JSON lines (`ftm_json`), e.g. `entities.ftm.json`.

One entity per line: `id`, `schema`, `properties` (each a list of strings). Targets of the schemas
Person, Company, Organization, LegalEntity, Vessel and Airplane become entries: `name`, `alias`
(`weakAlias` is left out, as OpenSanctions' own matcher does), `country`/`nationality`/`citizenship`/
`jurisdiction`/`flag` (codes), `program`/`programId`, identifiers (`registrationNumber`, `imoNumber`,
`innCode`, `ogrnCode`, `taxNumber`, `idNumber`, `passportNumber`, `swiftBic`), `createdAt` or the
entity's `first_seen` as the listing date, `topics` in the remarks. Other schemas (Address, Sanction,
Identification, Ownership ...) and entities marked `"target": false` are skipped.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, BinaryIO

from tradewire.enrich.screening.countries import country_codes
from tradewire.enrich.screening.entries import EntryKind, ListEntry, unique
from tradewire.ingest.lists.errors import ListFormatError
from tradewire.ingest.lists.fields import identifier, parse_date
from tradewire.ingest.lists.lines import text_lines

FORMAT = "ftm_json"
_KINDS: dict[str, EntryKind] = {
    "Person": "person", "Company": "organization", "Organization": "organization", "LegalEntity": "organization",
    "PublicBody": "organization", "Vessel": "vessel", "Airplane": "aircraft",
}
_IDENTIFIERS = {
    "imoNumber": "IMO", "registrationNumber": "Registration Number", "innCode": "INN", "ogrnCode": "OGRN",
    "taxNumber": "Tax Number", "idNumber": "ID", "passportNumber": "Passport", "swiftBic": "SWIFT/BIC",
}
_COUNTRIES = ("country", "nationality", "citizenship", "jurisdiction", "flag")


def parse(stream: BinaryIO, list_name: str) -> Iterator[ListEntry]:
    for line, raw in text_lines(stream, list_name, FORMAT):
        if not raw.strip():
            continue
        try:
            entity = json.loads(raw)
        except json.JSONDecodeError as error:
            raise ListFormatError(list_name, FORMAT, f"line {line}", f"not JSON ({error.msg})") from None
        if not isinstance(entity, dict) or not isinstance(entity.get("id"), str) or not isinstance(entity.get("schema"), str):
            raise ListFormatError(list_name, FORMAT, f"line {line}", "not a FollowTheMoney entity (no id or schema)")
        kind = _KINDS.get(entity["schema"])
        if kind is None or entity.get("target") is False:
            continue
        properties = entity.get("properties")
        if not isinstance(properties, dict):
            raise ListFormatError(list_name, FORMAT, f"line {line}", "an entity without properties")
        names = _values(properties, "name")
        if not names:
            continue
        ids = [identifier(label, value) for key, label in _IDENTIFIERS.items() for value in _values(properties, key)]
        listed = next(iter(_values(properties, "createdAt")), "") or str(entity.get("first_seen") or "")
        topics = _values(properties, "topics")
        yield ListEntry(
            list_name=list_name, entry_id=entity["id"], kind=kind, names=unique(names + _values(properties, "alias")),
            programs=unique(_values(properties, "program") + _values(properties, "programId")),
            countries=country_codes([code for key in _COUNTRIES for code in _values(properties, key)]),
            identifiers=unique(ids), listed_on=parse_date(listed),
            remarks=("topics: " + ", ".join(topics)) if topics else "",
        )


def _values(properties: dict[str, Any], key: str) -> list[str]:
    values = properties.get(key) or []
    return [value for value in values if isinstance(value, str)] if isinstance(values, list) else []

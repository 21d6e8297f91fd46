"""EU consolidated financial sanctions list, the FSF XML export (`eu_fsf_xml`).

Root `<export>` (namespace `http://eu.europa.ec/fpi/fsd/export`), one `<sanctionEntity>` per
designation, its data in attributes: `euReferenceNumber` / `logicalId` (the id), `designationDate`;
`subjectType@code` (person, enterprise, ...), `nameAlias@wholeName` (the first is the primary name;
aliases in other languages carry `nameLanguage`), `regulation@programme` and `@publicationDate` (the
earliest is the listing date when `designationDate` is missing), `identification@number` with its
`identificationTypeDescription`, `citizenship@countryIso2Code`, `address@countryIso2Code`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from lxml import etree

from tradewire.enrich.screening.countries import country_codes
from tradewire.enrich.screening.entries import EntryKind, ListEntry, unique
from tradewire.ingest.lists.errors import ListFormatError
from tradewire.ingest.lists.fields import identifier, parse_date
from tradewire.ingest.lists.xml import children, records, text

FORMAT = "eu_fsf_xml"
_KINDS: dict[str, EntryKind] = {"person": "person", "enterprise": "organization", "vessel": "vessel", "aircraft": "aircraft"}


def parse(stream: BinaryIO, list_name: str) -> Iterator[ListEntry]:
    for record in records(stream, list_name, FORMAT, "export", frozenset({"sanctionEntity"})):
        entry_id = record.get("euReferenceNumber") or record.get("logicalId") or ""
        names = [_attribute(alias, "wholeName") for alias in children(record, "nameAlias")]
        if not entry_id or not any(names):
            raise ListFormatError(list_name, FORMAT, f"line {record.sourceline}", "sanctionEntity without an id or a nameAlias")
        subject = next(iter(children(record, "subjectType")), None)
        regulations = children(record, "regulation")
        published = sorted(filter(None, (parse_date(_attribute(r, "publicationDate")) for r in regulations)))
        countries = [_attribute(c, "countryIso2Code") for name in ("citizenship", "address", "birthdate")
                     for c in children(record, name)]
        ids = [
            identifier(_attribute(i, "identificationTypeDescription") or _attribute(i, "identificationTypeCode"),
                       _attribute(i, "number") or _attribute(i, "latinNumber"))
            for i in children(record, "identification")
        ]
        yield ListEntry(
            list_name=list_name, entry_id=entry_id,
            kind=_KINDS.get(_attribute(subject, "code").lower(), "other") if subject is not None else "other",
            names=unique(names), programs=unique([_attribute(r, "programme") for r in regulations]),
            countries=country_codes([c for c in countries if c and c != "00"]), identifiers=unique(ids),
            listed_on=parse_date(record.get("designationDate") or "") or (published[0] if published else None),
            remarks=" ".join(text(remark) for remark in children(record, "remark"))[:500],
        )


def _attribute(element: etree._Element | None, name: str) -> str:
    return " ".join((element.get(name) or "").split()) if element is not None else ""

"""UN Security Council consolidated sanctions list XML (`un_xml`).

Root `<CONSOLIDATED_LIST>` with `INDIVIDUALS/INDIVIDUAL` and `ENTITIES/ENTITY`: names in
`FIRST_NAME` .. `FOURTH_NAME` (in the order the UN writes them; an entity's whole name is `FIRST_NAME`),
`NAME_ORIGINAL_SCRIPT`, `*_ALIAS/ALIAS_NAME` (aliases of `QUALITY` "Low" are left out: the UN marks
them too weak to identify anyone), `UN_LIST_TYPE` (the sanctions regime), `REFERENCE_NUMBER` (the
entry's id, e.g. "KPi.033"), `LISTED_ON`, `NATIONALITY/VALUE`, `*_ADDRESS/COUNTRY`, `INDIVIDUAL_DOCUMENT`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from lxml import etree

from tradewire.enrich.screening.countries import country_codes
from tradewire.enrich.screening.entries import ListEntry, unique
from tradewire.ingest.lists.errors import ListFormatError
from tradewire.ingest.lists.fields import identifier, parse_date
from tradewire.ingest.lists.xml import children, descendants, local, records, text

FORMAT = "un_xml"
_NAME_PARTS = ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")


def parse(stream: BinaryIO, list_name: str) -> Iterator[ListEntry]:
    for record in records(stream, list_name, FORMAT, "CONSOLIDATED_LIST", frozenset({"INDIVIDUAL", "ENTITY"})):
        person = local(record.tag) == "INDIVIDUAL"
        reference = text(record, "REFERENCE_NUMBER") or text(record, "DATAID")
        primary = " ".join(part for name in _NAME_PARTS if (part := text(record, name)))
        if not reference or not primary:
            raise ListFormatError(list_name, FORMAT, f"line {record.sourceline}",
                                  f"{local(record.tag)} without REFERENCE_NUMBER or FIRST_NAME")
        aliases = [
            text(alias, "ALIAS_NAME")
            for alias in children(record, "INDIVIDUAL_ALIAS" if person else "ENTITY_ALIAS")
            if text(alias, "QUALITY").lower() != "low"
        ]
        yield ListEntry(
            list_name=list_name, entry_id=reference, kind="person" if person else "organization",
            names=unique([primary, text(record, "NAME_ORIGINAL_SCRIPT"), *aliases]),
            programs=unique([text(record, "UN_LIST_TYPE")]),
            countries=country_codes(_countries(record)), identifiers=unique(_documents(record)),
            listed_on=parse_date(text(record, "LISTED_ON")), remarks=text(record, "COMMENTS1")[:500],
        )


def _countries(record: etree._Element) -> list[str]:
    found = [text(value) for nationality in children(record, "NATIONALITY") for value in children(nationality, "VALUE")]
    for address in [*children(record, "INDIVIDUAL_ADDRESS"), *children(record, "ENTITY_ADDRESS")]:
        found.append(text(address, "COUNTRY"))
    return found


def _documents(record: etree._Element) -> list[str]:
    return [
        identifier(text(document, "TYPE_OF_DOCUMENT"), text(document, "NUMBER"))
        for document in descendants(record, "INDIVIDUAL_DOCUMENT")
    ]

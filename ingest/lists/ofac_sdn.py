"""US Treasury OFAC Specially Designated Nationals list, the classic `sdn.xml` (`ofac_sdn_xml`).

Root `<sdnList>` (namespaced), one `<sdnEntry>` per designation: `uid`, `firstName`/`lastName` (a
person's surname is `lastName`; an entity's whole name is `lastName`), `sdnType`, `programList`,
`akaList` (each `aka` with its own names and a `category`: weak aliases are left out, as OFAC itself
says they are too broad to screen on), `idList`, `addressList`, `nationalityList`, `citizenshipList`.
The classic file carries no date of listing, so `listed_on` stays None.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from lxml import etree

from tradewire.enrich.screening.countries import country_codes
from tradewire.enrich.screening.entries import EntryKind, ListEntry, unique
from tradewire.ingest.lists.errors import ListFormatError
from tradewire.ingest.lists.fields import identifier
from tradewire.ingest.lists.xml import descendants, records, text, texts

FORMAT = "ofac_sdn_xml"
_KINDS: dict[str, EntryKind] = {"individual": "person", "entity": "organization", "vessel": "vessel", "aircraft": "aircraft"}


def parse(stream: BinaryIO, list_name: str) -> Iterator[ListEntry]:
    for record in records(stream, list_name, FORMAT, "sdnList", frozenset({"sdnEntry"})):
        uid = text(record, "uid")
        primary = _whole_name(record)
        if not uid or not primary:
            raise ListFormatError(list_name, FORMAT, f"line {record.sourceline}", "sdnEntry without uid or lastName")
        aliases = [_whole_name(aka) for aka in descendants(record, "aka") if text(aka, "category").lower() != "weak"]
        ids = [identifier(text(item, "idType"), text(item, "idNumber")) for item in descendants(record, "id")]
        remarks = text(record, "remarks")
        yield ListEntry(
            list_name=list_name, entry_id=uid, kind=_KINDS.get(text(record, "sdnType").lower(), "other"),
            names=unique([primary, *aliases]), programs=unique(texts(record, "program")),
            countries=country_codes(texts(record, "country")), identifiers=unique(ids), remarks=remarks[:500],
        )


def _whole_name(element: etree._Element) -> str:
    return " ".join(part for part in (text(element, "firstName"), text(element, "lastName")) if part)


"""Official sanctions lists read from their published formats into `ListEntry` records.

Each format module has `parse(stream, list_name)`, a generator that reads the file as a stream
(lxml's iterparse, clearing each record once read; a CSV reader; JSON lines) and yields entries as
they are read. A file that is malformed, truncated or of another schema raises `ListFormatError`
where it breaks, possibly after some entries were already yielded: those are no complete list. A
caller that stores entries as they come must stage them and commit only once the generator is
exhausted; `read_list` does exactly that in memory, returning the whole list or raising.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import BinaryIO

from tradewire.enrich.screening.entries import ListEntry
from tradewire.ingest.lists import csl_csv, eu_fsf, ftm_json, ofac_sdn, uk_csv, un
from tradewire.ingest.lists.errors import ListFormatError

Parser = Callable[[BinaryIO, str], Iterator[ListEntry]]

FORMATS: dict[str, Parser] = {
    ofac_sdn.FORMAT: ofac_sdn.parse,
    un.FORMAT: un.parse,
    eu_fsf.FORMAT: eu_fsf.parse,
    uk_csv.FORMAT: uk_csv.parse,
    csl_csv.FORMAT: csl_csv.parse,
    ftm_json.FORMAT: ftm_json.parse,
}


def read_list(stream: BinaryIO, format_name: str, list_name: str) -> list[ListEntry]:
    """Every entry of a complete list file, or `ListFormatError` (nothing returned) if the file breaks anywhere.

    An entry id seen twice is refused too: a list's ids are what a refresh is compared on.
    """
    parser = FORMATS.get(format_name)
    if parser is None:
        raise ValueError(f"unknown list format {format_name!r}; known: {', '.join(sorted(FORMATS))}")
    entries: list[ListEntry] = []
    seen: set[str] = set()
    for entry in parser(stream, list_name):
        if entry.entry_id in seen:
            raise ListFormatError(list_name, format_name, f"entry {entry.entry_id}", "the same entry id twice")
        seen.add(entry.entry_id)
        entries.append(entry)
    if not entries:
        raise ListFormatError(list_name, format_name, "end of file", "no entries")
    return entries


__all__ = ["FORMATS", "ListFormatError", "Parser", "read_list"]

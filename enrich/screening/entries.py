"""One entry of an official sanctions list, as every list format is read into it.

Small and immutable: hundreds of thousands are held at once by a screening index, so the model is a
slotted frozen dataclass with tuples rather than a validated pydantic model. Names keep the spelling
the list gives (non-Latin scripts included); matching forms are made by `enrich.screening.normalize`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

EntryKind = Literal["person", "organization", "vessel", "aircraft", "other"]


@dataclass(frozen=True, slots=True)
class ListEntry:
    list_name: str
    entry_id: str
    kind: EntryKind
    # The primary name first, then the aliases the list gives; each spelt as the list spells it.
    names: tuple[str, ...]
    programs: tuple[str, ...] = ()
    # ISO 3166-1 alpha-2 codes, upper case: nationality, citizenship or the country of an address.
    countries: tuple[str, ...] = ()
    # As the list gives them, prefixed with their type: "IMO 9187629", "Registration ID 914403001922038216".
    identifiers: tuple[str, ...] = ()
    listed_on: date | None = None
    remarks: str = ""

    @property
    def name(self) -> str:
        return self.names[0]

    @property
    def key(self) -> tuple[str, str]:
        """The entry's identity across refreshes of its list."""
        return (self.list_name, self.entry_id)


def unique(values: list[str]) -> tuple[str, ...]:
    """`values` stripped, empty ones dropped, in first-seen order without repeats (case-sensitive)."""
    seen: dict[str, None] = {}
    for value in values:
        value = " ".join(value.split())
        if value:
            seen.setdefault(value, None)
    return tuple(seen)

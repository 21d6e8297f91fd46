"""A designation document: one event of a sanctions list refresh (an entry listed, delisted or amended), indexed
beside the articles and searched with the same query language (`kind:designation list:ofac-sdn event:listed`).

Its identity is the list, the entry and how many events the entry had before (its first listing is its event 0, a
later amendment event 1, ...): a document written twice, or a refresh replayed on a state restored from before
it, is the same document, while an entry delisted and listed again gets a document per event. `published` and `fetched` are both that refresh's time:
when tradewire learnt of the event, which `published:` and `--since` select; the list's own listing date is
`listed_on`. Its searchable text is its names (the primary name as the title, every name and alias as the text).
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from typing import Literal

from pydantic import Field

from tradewire.core.model import Model

DesignationEvent = Literal["listed", "delisted", "amended"]
EVENT_WORDS: dict[str, str] = {"listed": "listed on", "delisted": "delisted from", "amended": "amended on"}


class Designation(Model):
    kind: Literal["designation"] = "designation"
    id: str
    event: DesignationEvent
    list: str
    entry_id: str
    # person, organization, vessel, aircraft or other, as the list gives it.
    entry_kind: str
    # The primary name first, then the aliases, as the list spells them; for a delisting, as the entry stood.
    names: list[str] = Field(min_length=1)
    programs: list[str] = Field(default_factory=list)
    countries: list[str] = Field(default_factory=list)
    identifiers: list[str] = Field(default_factory=list)
    listed_on: date | None = None
    remarks: str = ""
    published: datetime
    fetched: datetime

    @property
    def name(self) -> str:
        return self.names[0]

    @property
    def title(self) -> str:
        return self.name

    @property
    def text(self) -> str:
        return "\n".join(self.names)

    def headline(self) -> str:
        """`listed on ofac-sdn: Igor Ivanovich SECHIN (RUSSIA-EO14024)`: what the event is, in one line."""
        programs = f" ({', '.join(self.programs)})" if self.programs else ""
        return f"{EVENT_WORDS[self.event]} {self.list}: {self.name}{programs}"

    def keywords(self) -> dict[str, list[str]]:
        """The exact-match fields of the query language, lower-cased, as every backend indexes them."""
        return {
            "kind": [self.kind],
            "list": [self.list.lower()],
            "program": list(dict.fromkeys(program.lower() for program in self.programs)),
            "event": [self.event],
            "entry": [self.entry_id.lower()],
        }

    def entity_facets(self) -> list[str]:
        return []


def designation_id(list_name: str, entry_id: str, earlier: int) -> str:
    """Stable identity: the event of a list entry that had `earlier` events before it."""
    return hashlib.sha256(f"designation\t{list_name}\t{entry_id}\t{earlier}".encode()).hexdigest()[:24]

"""Your own counterparties (`config/watchlist.yaml`): the parties a `watchlist: true` designation rule alerts
on when a list newly designates them, and that `tradewire screen NAME` says a name is.

Matching is the screening index's (`enrich.screening`): names folded for case, accents, punctuation, word
order, company forms and transliteration, scored the same way as list screening. For a refresh the new
entries are indexed and each watched party's names screened against them (a refresh brings few entries,
a watchlist may be long); a shared identifier (passport, IMO, registration number) is a match too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from tradewire.enrich.screening.countries import country_code
from tradewire.enrich.screening.entries import ListEntry
from tradewire.enrich.screening.index import ScreeningIndex, ScreeningMatch

WATCHLIST = "watchlist"
MIN_IDENTIFIER = 5


class WatchedParty(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1)
    aliases: list[str] = Field(default_factory=list)
    # Screening weighs a person's names differently (a surname alone is no match).
    kind: Literal["person", "organization"] = "organization"
    # A country name or code; when both the party and a list entry give countries, they must share one.
    country: str | None = None
    identifiers: list[str] = Field(default_factory=list)
    note: str = ""

    @field_validator("country")
    @classmethod
    def _known_country(cls, value: str | None) -> str | None:
        if value is not None and country_code(value) is None:
            raise ValueError(f"unknown country {value!r}: give an ISO code (RU) or a name (Russia)")
        return value

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)

    @property
    def country_code(self) -> str | None:
        return country_code(self.country) if self.country else None


class WatchlistFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    parties: list[WatchedParty] = Field(default_factory=list)


@dataclass(frozen=True, slots=True)
class WatchedHit:
    party: WatchedParty
    score: float
    why: str

    def content(self) -> dict[str, Any]:
        """As an alert carries it."""
        return {"name": self.party.name, "note": self.party.note, "score": round(self.score, 3), "why": self.why}

    def describe(self) -> str:
        note = f" — {self.party.note}" if self.party.note else ""
        return f"watched party {self.party.name}{note} ({self.score:.2f}: {self.why})"


def watched_among(parties: list[WatchedParty], entries: list[ListEntry]) -> dict[tuple[str, str], WatchedHit]:
    """The entries (by key) that a watched party matches, each with its best-matching party."""
    if not parties or not entries:
        return {}
    index = ScreeningIndex(entries)
    by_identifier = {key: entry for entry in entries for value in entry.identifiers if (key := _identifier(value))}
    hits: dict[tuple[str, str], WatchedHit] = {}

    def keep(entry: ListEntry, hit: WatchedHit) -> None:
        if _countries_agree(hit.party, entry) and (entry.key not in hits or hits[entry.key].score < hit.score):
            hits[entry.key] = hit

    for party in parties:
        for value in party.identifiers:
            key = _identifier(value)
            entry = by_identifier.get(key) if key else None
            if entry is not None:
                keep(entry, WatchedHit(party, 1.0, f"same identifier {value}"))
        for name in party.names:
            for match in index.screen(name):
                keep(match.entry, WatchedHit(party, match.score, f"{name!r} ~ {match.name!r}: {match.why}"))
    return hits


def watchlist_index(parties: list[WatchedParty]) -> ScreeningIndex:
    """The watched parties as entries of a list named `watchlist`, for screening a name against them."""
    return ScreeningIndex(
        ListEntry(WATCHLIST, str(number), party.kind, party.names,
                  countries=(party.country_code,) if party.country_code else (), identifiers=tuple(party.identifiers),
                  remarks=party.note)
        for number, party in enumerate(parties, start=1)
    )


def screen_watchlist(parties: list[WatchedParty], name: str, limit: int = 10) -> list[ScreeningMatch]:
    return watchlist_index(parties).screen(name, limit=limit) if parties else []


def _identifier(value: str) -> str | None:
    """The number of an identifier, without its type ("Passport 720000131" -> "720000131"); None when too
    short to identify anyone."""
    words = value.split()
    number = "".join(character for character in words[-1].upper() if character.isalnum()) if words else ""
    return number if len(number) >= MIN_IDENTIFIER else None


def _countries_agree(party: WatchedParty, entry: ListEntry) -> bool:
    return party.country_code is None or not entry.countries or party.country_code in entry.countries

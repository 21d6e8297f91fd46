"""The entity gazetteer as configured in `config/entities.yaml`, plus every country from pycountry."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pycountry
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from tradewire.core.enrichment import EntityType
from tradewire.core.names import first_repeated


class EntitySpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1)
    id: str | None = None
    type: EntityType
    country: str | None = None
    aliases: list[str] = Field(default_factory=list)
    # A news medium (Reuters, Xinhua): it reports measures, it never takes one, so it is no event's actor.
    media: bool = False

    @field_validator("type")
    @classmethod
    def _not_country(cls, value: str) -> str:
        if value == "country":
            raise ValueError("countries come from ISO 3166; add aliases under `countries:` instead")
        return value

    @property
    def entity_id(self) -> str:
        return self.id or slug(self.name)


class Gazetteer(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    # ISO 3166-1 alpha-2 code -> extra aliases: short forms, demonyms and capitals used for the state.
    countries: dict[str, list[str]] = Field(default_factory=dict)
    # ISO names too ambiguous to count on their own in news text (e.g. "Jordan", "Chad").
    ignore_country_names: list[str] = Field(default_factory=list)
    entities: list[EntitySpec] = Field(default_factory=list)

    @field_validator("countries")
    @classmethod
    def _known_countries(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        for code in value:
            if pycountry.countries.get(alpha_2=code) is None:
                raise ValueError(f"{code!r} is not an ISO 3166-1 alpha-2 country code")
        return value

    @model_validator(mode="after")
    def _unique_ids(self) -> Gazetteer:
        if (twice := first_repeated(spec.entity_id for spec in self.entities)) is not None:
            raise ValueError(f"entity id {twice!r} is used twice")
        for spec in self.entities:
            if len(spec.entity_id) == 2 and pycountry.countries.get(alpha_2=spec.entity_id.upper()):
                raise ValueError(f"entity id {spec.entity_id!r} ({spec.name}) is a country code; give it another id")
        return self


@dataclass(frozen=True, slots=True)
class KnownEntity:
    id: str
    name: str
    type: EntityType
    country: str | None
    media: bool = False
    # Found by pattern in the text ("Jade Harbour Shipping", "Iran's Islamic Revolutionary Guard Corps"), not listed.
    found: bool = False


@dataclass(frozen=True, slots=True)
class Alias:
    text: str
    entity: KnownEntity


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower().replace(".", "")).strip("-")


def aliases_of(gazetteer: Gazetteer) -> list[Alias]:
    """Every name by which an entity is known, countries first from ISO 3166 then the configured ones."""
    ignored = {name.lower() for name in gazetteer.ignore_country_names}
    aliases: list[Alias] = []
    for country in pycountry.countries:
        code = country.alpha_2
        canonical = getattr(country, "common_name", None) or country.name
        entity = KnownEntity(code, canonical, "country", code)
        names = {country.name, canonical, getattr(country, "official_name", country.name)}
        names.update(gazetteer.countries.get(code, []))
        for name in names:
            if "," not in name and name.lower() not in ignored:
                aliases.append(Alias(name, entity))
    for spec in gazetteer.entities:
        entity = KnownEntity(spec.entity_id, spec.name, spec.type, spec.country, spec.media)
        for name in {spec.name, *spec.aliases}:
            aliases.append(Alias(name, entity))
    return aliases

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
    # The body this one belongs to (the Bureau of Industry and Security is part of the Commerce Department, the
    # European Commission of the European Union): either of them acting is one act, and neither is the other's target.
    part_of: str | None = None
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
        ids = {spec.entity_id for spec in self.entities}
        for spec in self.entities:
            if len(spec.entity_id) == 2 and pycountry.countries.get(alpha_2=spec.entity_id.upper()):
                raise ValueError(f"entity id {spec.entity_id!r} ({spec.name}) is a country code; give it another id")
            if spec.part_of is not None and spec.part_of not in ids:
                raise ValueError(f"{spec.name}: part_of {spec.part_of!r} is no entity id of this file")
        self.bodies_within()  # refuses a circle
        return self

    def bodies_within(self) -> dict[str, tuple[str, ...]]:
        """Each entity's id -> the ids of the bodies it is part of, nearest first."""
        parents = {spec.entity_id: spec.part_of for spec in self.entities if spec.part_of}
        within: dict[str, tuple[str, ...]] = {}
        for entity_id in parents:
            chain, current = [], parents.get(entity_id)
            while current is not None:
                if current == entity_id or current in chain:
                    raise ValueError(f"part_of makes a circle through {current!r}")
                chain.append(current)
                current = parents.get(current)
            within[entity_id] = tuple(chain)
        return within


@dataclass(frozen=True, slots=True)
class KnownEntity:
    id: str
    name: str
    type: EntityType
    country: str | None
    media: bool = False
    # The bodies it is part of, nearest first (`part_of` in the gazetteer).
    within: tuple[str, ...] = ()
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
    within = gazetteer.bodies_within()
    for spec in gazetteer.entities:
        entity = KnownEntity(spec.entity_id, spec.name, spec.type, spec.country, spec.media, within.get(spec.entity_id, ()))
        for name in {spec.name, *spec.aliases}:
            aliases.append(Alias(name, entity))
    return aliases

"""Entities from gazetteer hits: one entry per entity with every mention, in order of first mention."""

from __future__ import annotations

from enrich.gazetteer import Alias
from enrich.model import Entity, Mention
from enrich.phrases import Hit, leftmost_longest


def collect_entities(text: str, alias_hits: list[Hit[Alias]]) -> list[Entity]:
    entities: dict[str, Entity] = {}
    for hit in leftmost_longest(alias_hits):
        known = hit.payload.entity
        entity = entities.get(known.id)
        if entity is None:
            entity = entities[known.id] = Entity(id=known.id, name=known.name, type=known.type)
        entity.mentions.append(Mention(text=text[hit.start : hit.end], start=hit.start, end=hit.end))
    return list(entities.values())

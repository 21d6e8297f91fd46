"""Entities from gazetteer hits and name patterns: one entry per entity with every mention, by first mention."""

from __future__ import annotations

from enrich.gazetteer import Alias
from enrich.model import Entity, Mention
from enrich.names import FoundName
from enrich.phrases import Hit, leftmost_longest


def collect_entities(text: str, alias_hits: list[Hit[Alias]], names: list[FoundName]) -> list[Entity]:
    """Gazetteer entities, then pattern-found names that no gazetteer mention overlaps and no known entity is called."""
    entities: dict[str, Entity] = {}
    spans: list[tuple[int, int]] = []
    chosen = leftmost_longest(alias_hits)
    for hit in chosen + _countries_inside_bodies(chosen, alias_hits):
        known = hit.payload.entity
        entity = entities.get(known.id)
        if entity is None:
            entity = entities[known.id] = Entity(id=known.id, name=known.name, type=known.type)
        entity.mentions.append(Mention(text=text[hit.start : hit.end], start=hit.start, end=hit.end))
        spans.append((hit.start, hit.end))
    known_names = {entity.name.lower() for entity in entities.values()}
    country_spans = [(hit.start, hit.end) for hit in chosen if hit.payload.entity.type == "country"]
    for name in names:
        # A found name may contain a demonym ("Argentine Football Association"), not another known entity.
        blocking = [span for span in spans if span not in country_spans or not (name.start <= span[0] and span[1] <= name.end)]
        if name.name.lower() in known_names or any(name.start < end and start < name.end for start, end in blocking):
            continue
        entity = entities.get(name.id)
        if entity is None:
            entity = entities[name.id] = Entity(id=name.id, name=name.name, type=name.type, known=False)
        entity.mentions.append(Mention(text=text[name.start : name.end], start=name.start, end=name.end))
    for entity in entities.values():
        entity.mentions.sort(key=lambda mention: mention.start)
    return sorted(entities.values(), key=lambda entity: entity.mentions[0].start)


_BODIES = ("agency", "ministry", "organization")


def _countries_inside_bodies(chosen: list[Hit[Alias]], every: list[Hit[Alias]]) -> list[Hit[Alias]]:
    """Countries and bodies named inside a body's name are mentioned too: "U.S. Senate" names the United States,
    美国商务部工业与安全局 names the U.S. Department of Commerce. (Not inside company names: "U.S. Steel".)"""
    nested: list[Hit[Alias]] = []
    taken: set[tuple[int, int, str]] = set()
    for body in chosen:
        entity = body.payload.entity
        if entity.type not in _BODIES:
            continue
        for hit in every:
            inner = hit.payload.entity
            key = (hit.start, hit.end, inner.id)
            if (
                inner.id != entity.id and key not in taken and body.start <= hit.start and hit.end <= body.end
                and (hit.start, hit.end) != (body.start, body.end)
                and (inner.type in _BODIES or inner.id == entity.country)
            ):
                nested.append(hit)
                taken.add(key)
    return nested

"""Entities from gazetteer hits and name patterns: one entry per entity with every mention, by first mention.

Entities and mentions are built with model_construct: their values are valid by construction, and
validating a hundred small objects per article would cost more than finding them.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from tradewire.core.enrichment import Entity, Mention
from tradewire.enrich.gazetteer import Alias
from tradewire.enrich.names import FoundName
from tradewire.enrich.phrases import Hit, leftmost_longest


def collect_entities(text: str, alias_hits: list[Hit[Alias]], names: list[FoundName]) -> list[Entity]:
    """Gazetteer entities, then pattern-found names that no gazetteer mention overlaps and no known entity is called."""
    entities: dict[str, Entity] = {}
    spans: list[tuple[int, int]] = []
    chosen = _without_foreign_bodies(text, leftmost_longest(alias_hits))
    for hit in chosen + _countries_inside_bodies(chosen, alias_hits) + _paired_countries(chosen, alias_hits):
        known = hit.payload.entity
        entity = entities.get(known.id)
        if entity is None:
            entity = entities[known.id] = Entity.model_construct(id=known.id, name=known.name, type=known.type, mentions=[], known=True)
        entity.mentions.append(Mention(text[hit.start : hit.end], hit.start, hit.end))
        spans.append((hit.start, hit.end))
    known_names = {entity.name.lower() for entity in entities.values()}
    countries = {(hit.start, hit.end) for hit in chosen if hit.payload.entity.type == "country"}
    spans.sort()
    starts = [start for start, _ in spans]
    longest = max((end - start for start, end in spans), default=0)
    for name in names:
        name = _after_country_of(text, name, countries)
        if name.name.lower() in known_names:
            continue
        # A found name may contain a demonym ("Argentine Football Association"), not another known entity.
        # (Only mentions starting less than the longest mention's length before the name can overlap it.)
        nearby = spans[bisect_left(starts, name.start - longest) : bisect_left(starts, name.end)]
        if any(
            name.start < end and start < name.end
            and not ((start, end) in countries and name.start <= start and end <= name.end)
            for start, end in nearby
        ):
            continue
        # ... but not only countries ("China-US economic and trade cooperation" names no organisation).
        inside = [(start, end) for start, end in nearby if (start, end) in countries and name.start <= start and end <= name.end]
        if inside and not any(char.isalpha() for char in _outside(text, name.start, name.end, inside)):
            continue
        entity = entities.get(name.id)
        if entity is None:
            entity = entities[name.id] = Entity.model_construct(id=name.id, name=name.name, type=name.type, mentions=[], known=False)
        entity.mentions.append(Mention(text[name.start : name.end], name.start, name.end))
    for entity in entities.values():
        entity.mentions.sort(key=lambda mention: mention.start)
    return sorted(entities.values(), key=lambda entity: entity.mentions[0].start)


def _after_country_of(text: str, name: FoundName, countries: set[tuple[int, int]]) -> FoundName:
    """A found name that starts with a country and "of" names what follows: "property in the United States of Rapid
    Support Forces commander ..." is about the Rapid Support Forces."""
    for start, end in countries:
        if start == name.start and text.startswith(" of ", end) and end + 4 < name.end:
            return FoundName(end + 4, name.end, text[end + 4 : name.end], name.type)
    return name


def _outside(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> str:
    """The characters of text[start:end] outside the given spans (which lie within it, in order)."""
    parts, position = [], start
    for span_start, span_end in spans:
        parts.append(text[position:span_start])
        position = max(position, span_end)
    parts.append(text[position:end])
    return "".join(parts)


_BODIES = ("agency", "ministry", "organization")
_QUALIFIERS_BEFORE = {"'s", "\u2019s", "s'", ""}  # "Vietnam's Ministry of Commerce", "Indian Ministry of Commerce"
_QUALIFIERS_AFTER = {"of", "of the"}  # "Commerce Ministry of Vietnam"


def _without_foreign_bodies(text: str, chosen: list[Hit[Alias]]) -> list[Hit[Alias]]:
    """Drop a government body named by a generic alias ("Ministry of Commerce" is China's in the gazetteer) that
    the text ties to another country: "Vietnam's Ministry of Commerce", "the Commerce Ministry of Vietnam"."""
    kept = []
    for index, hit in enumerate(chosen):
        body = hit.payload.entity
        if body.type in ("agency", "ministry") and body.country:
            before = chosen[index - 1] if index else None
            after = chosen[index + 1] if index + 1 < len(chosen) else None
            if (before is not None and _other_country(before, body.country)
                    and text[before.end : hit.start].strip().lower() in _QUALIFIERS_BEFORE):
                continue
            if (after is not None and _other_country(after, body.country)
                    and text[hit.end : after.start].strip().lower() in _QUALIFIERS_AFTER):
                continue
        kept.append(hit)
    return kept


def _other_country(hit: Hit[Alias], country: str) -> bool:
    return hit.payload.entity.type == "country" and hit.payload.entity.id != country


def _paired_countries(chosen: list[Hit[Alias]], every: list[Hit[Alias]]) -> list[Hit[Alias]]:
    """The other countries of a name that stands for several (中美 "China and the US", 日韩): each is mentioned."""
    spans = {(hit.start, hit.end): hit.payload.entity.id for hit in chosen if hit.payload.entity.type == "country"}
    return [
        hit for hit in every
        if hit.payload.entity.type == "country" and spans.get((hit.start, hit.end), hit.payload.entity.id) != hit.payload.entity.id
    ]


def _countries_inside_bodies(chosen: list[Hit[Alias]], every: list[Hit[Alias]]) -> list[Hit[Alias]]:
    """Countries and bodies named inside a body's name are mentioned too: "U.S. Senate" names the United States,
    美国商务部工业与安全局 names the U.S. Department of Commerce. (Not inside company names: "U.S. Steel".)"""
    nested: list[Hit[Alias]] = []
    taken: set[tuple[int, int, str]] = set()
    starts = [hit.start for hit in every]  # `every` is in start order
    for body in chosen:
        entity = body.payload.entity
        if entity.type not in _BODIES:
            continue
        for hit in every[bisect_left(starts, body.start) : bisect_right(starts, body.end)]:
            inner = hit.payload.entity
            key = (hit.start, hit.end, inner.id)
            if (
                inner.id != entity.id and key not in taken and body.start <= hit.start and hit.end <= body.end
                and (hit.start, hit.end) != (body.start, body.end)
                # 美国商务部 holds 商务部 (China's): a body inside a body only when both are of the same country
                and ((inner.type in _BODIES and inner.country == entity.country) or inner.id == entity.country)
            ):
                nested.append(hit)
                taken.add(key)
    return nested

"""Events from the sentences that carry evidence for sanctions, licence and control tags. (About 300 lines: the
role rules below read one sentence's word order together and are kept in one place to be read together.)

In each such sentence, every measure phrase from the taxonomy's vocabulary makes an event, with
roles read from the sentence's word order:
- the actor is the nearest government body or organisation named before the measure (the first of
  bodies named together, 商务部、海关总署; an official only failing those, a country failing both; never
  a company: the measures are governments'), unless the measure is followed by its agent
  ("sanctioned by the Treasury", "a licence from China"): then the agent acts and the party named
  before the measure is the target;
- the target is the first country, company, organisation or person after the measure that is not the
  actor's own (in Chinese, after the object marker 对/向/将/把, and for 对其 "on it", the party named
  before);
- a place something happens in ("met in Luxembourg", 在日内瓦) is neither; a role the sentence does not
  give is the one the article's last event had ("their property is frozen"), or stays empty.
Objects come from the objects vocabulary, and the date is the sentence's own (resolved against
publication) or, for "the same day", the last date the article named.
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date

from tradewire.core.enrichment import Event, Evidence
from tradewire.enrich.dates import SAME_DAY, resolve_date
from tradewire.enrich.gazetteer import Alias, KnownEntity
from tradewire.enrich.modality import classify
from tradewire.enrich.payloads import MeasureRef, SentenceHits
from tradewire.enrich.phrases import Hit, leftmost_longest
from tradewire.enrich.tagger import SentenceEvidence
from tradewire.enrich.taxonomy import Taxonomy
from tradewire.enrich.text import Sentence, WordGaps

# Who acts: a government body or organisation before the measure; an official failing those; a country failing both.
_ACTOR_PREFERENCE = ({"agency", "ministry", "organization"}, {"person"}, {"country"})
_TARGET_TYPES = {"country", "company", "organization", "person"}
_OBJECT_MARKERS = "对向将把"
_MARKER_REACH = 5  # characters from the marker to the target's name (将17家美国实体)
_PRONOUN = "其"
_AGENT = re.compile(r"\s*(?:[\w'-]+\s+){0,3}?(?:by|from)\s+(?:the\s+)?$", re.IGNORECASE)
_PLACE = re.compile(r"(?:\b(?:in|at)\s+(?:the\s+)?|[在于])$", re.IGNORECASE)


def extract_events(
    taxonomy: Taxonomy,
    text: str,
    gaps: WordGaps,
    sentences: list[Sentence],
    sentence_hits: list[SentenceHits],
    evidence_by_tag: dict[str, list[SentenceEvidence]],
    tagged: set[str],
    published: date | None,
    found_parties: list[Hit[Alias]],
) -> list[Event]:
    if taxonomy.events is None:
        return []
    event_tag_by_sentence: dict[int, str] = {}
    for tag in taxonomy.events.tags:
        if tag in tagged:
            for evidence in evidence_by_tag.get(tag, []):
                event_tag_by_sentence.setdefault(evidence.sentence.start, tag)

    events: list[Event] = []
    dates = _NamedDates(text, sentences, published)
    last_actor: KnownEntity | None = None
    last_target: KnownEntity | None = None
    for index, (sentence, hits) in enumerate(zip(sentences, sentence_hits)):
        tag = event_tag_by_sentence.get(sentence.start)
        if tag is None or not hits.measures:
            continue
        measures = leftmost_longest(hits.measures)
        sentence_text = sentence.text_of(text)
        named_date = dates.of(index)
        found = [hit for hit in found_parties if sentence.start <= hit.start and hit.end <= sentence.end]
        aliases = leftmost_longest(hits.aliases + found) if found else leftmost_longest(hits.aliases)
        objects = list(dict.fromkeys(hit.payload.name for hit in hits.objects))
        # Built without validation: every value comes from the text and the taxonomy, valid by construction.
        evidence = Evidence.model_construct(text=sentence_text, start=sentence.start, end=sentence.end, rules=[])
        parties = [hit for hit in aliases if not hit.payload.entity.media and not _is_place(text, sentence, hit)]
        seen: set[tuple[str, str | None, str | None]] = set()
        for measure in measures:
            name = measure.payload.name
            if _names_a_law(text, measure) or hits.in_body_name(measure):
                continue
            actor, target = _roles(text, sentence, measure, parties)
            roles = (name, actor.id if actor else None, target.id if target else None)
            if roles in seen or (name, None, None) in seen and target is None:
                continue
            seen.add(roles)
            # "The ministry said the measures ...", "their property is frozen": a role the sentence leaves unnamed is
            # the last one the article named.
            actor = actor or last_actor
            if target is None and last_target is not None and _eligible_target(
                last_target, actor, measure.payload.domestic_targets
            ):
                target = last_target
            last_actor, last_target = actor, target
            modality = classify(
                measure, hits.cues, gaps, taxonomy.cue_windows, when_ended=taxonomy.tags[tag].when_ended
            )
            for party in [target, *_coordinated(text, target, parties, actor)]:
                events.append(
                    Event.model_construct(
                        measure=name,
                        tag=tag,
                        actor=actor.name if actor else None,
                        actor_id=actor.id if actor else None,
                        target=party.name if party else None,
                        target_id=party.id if party else None,
                        objects=objects,
                        date=named_date,
                        modality=modality,
                        evidence=Evidence.model_construct(**{**evidence.__dict__, "modality": modality}),
                    )
                )
    return _distinct(events)


def _distinct(events: list[Event]) -> list[Event]:
    """The article's events less those another one says in full: a repeat of the same measure, roles and modality
    later in the article, or one whose unnamed roles another names ("export controls by ? on ?" beside
    "export controls by the United Kingdom on ?")."""
    roles_by_kind: dict[tuple[str, str], set[tuple[str | None, str | None]]] = defaultdict(set)
    for event in events:
        roles_by_kind[event.measure, event.modality].add((event.actor_id, event.target_id))
    kept: list[Event] = []
    said: set[tuple[str, str, str | None, str | None]] = set()
    for event in events:
        roles = (event.actor_id, event.target_id)
        named_elsewhere = any(
            other != roles and roles[0] in (None, other[0]) and roles[1] in (None, other[1])
            for other in roles_by_kind[event.measure, event.modality]
        )
        key = (event.measure, event.modality, *roles)
        if not named_elsewhere and key not in said:
            said.add(key)
            kept.append(event)
    return kept


class _NamedDates:
    """The date a sentence names; for "the same day", the last date named before it. Asked in text order, each
    sentence's date is resolved at most once, so an article of many "same day"s costs its length, not its square."""

    def __init__(self, text: str, sentences: list[Sentence], published: date | None) -> None:
        self._text, self._sentences, self._published = text, sentences, published
        self._resolved: dict[int, date | None] = {}
        self._passed = 0  # sentences before this one have been read for `_last`
        self._last: date | None = None

    def of(self, index: int) -> date | None:
        named = self._named(index)
        if named is not None or not SAME_DAY.search(self._sentences[index].text_of(self._text)):
            return named
        for earlier in range(self._passed, index):
            self._last = self._named(earlier) or self._last
        self._passed = max(self._passed, index)
        return self._last

    def _named(self, index: int) -> date | None:
        if index not in self._resolved:
            self._resolved[index] = resolve_date(self._sentences[index].text_of(self._text), self._published)
        return self._resolved[index]


def _object_marker(
    text: str, sentence: Sentence, measure: Hit[MeasureRef], aliases: list[Hit[Alias]]
) -> Hit[MeasureRef] | None:
    """In Chinese the measure's target comes before it, after 对/向/将/把 (中方决定将17家美国实体列入…清单, 美方未对
    中国企业实施制裁): the marker then stands where the measure would in English word order, so the actor is named
    before it and the target after it."""
    for position in range(measure.start - 1, sentence.start - 1, -1):
        if text[position] not in _OBJECT_MARKERS:
            continue
        if text.startswith(_PRONOUN, position + 1):
            return Hit(position, position, measure.payload)  # 对其: the target is named before
        # (an alias may hold the marker itself: 对美, 对华)
        if any(position <= hit.start <= position + _MARKER_REACH and hit.end <= measure.start for hit in aliases):
            return Hit(position, position, measure.payload)
    return None


_JOINED_BODIES = re.compile(r"^\s*(?:,|and|&|、|和|与|及|会同)\s*$", re.IGNORECASE)
_COORDINATION = re.compile(r"^(?:\s*,)?\s*(?:,|and|or|as well as|、|和|及|与|以及)\s+(?:(?:its|the|their|a)\s+)?(?:[\w+'’-]+\s+){0,2}$|^[、和及与]$", re.IGNORECASE)


def _coordinated(
    text: str, target: KnownEntity | None, parties: list[Hit[Alias]], actor: KnownEntity | None,
) -> list[KnownEntity]:
    """Further targets joined to the first ("designated Rosneft and Lukoil", "Rusal, its parent En+ Group and the
    power company EuroSibEnergo"): each is a party to the measure."""
    if target is None:
        return []
    first = next((index for index, hit in enumerate(parties) if hit.payload.entity.id == target.id), None)
    if first is None:
        return []
    joined: list[KnownEntity] = []
    previous = parties[first]
    for hit in parties[first + 1 :]:
        entity = hit.payload.entity
        if (
            not _COORDINATION.match(text[previous.end : hit.start])
            or (entity.type == "country") != (target.type == "country")
            or (actor is not None and entity.id == actor.id)
            or entity.id in {target.id, *(party.id for party in joined)}
        ):
            break
        joined.append(entity)
        previous = hit
    return joined


def _roles(
    text: str, sentence: Sentence, measure: Hit[MeasureRef], parties: list[Hit[Alias]],
) -> tuple[KnownEntity | None, KnownEntity | None]:
    """Who acts and on whom, for one measure in its sentence (see the module's docstring)."""
    domestic = measure.payload.domestic_targets
    marker = _object_marker(text, sentence, measure, parties)
    anchor = measure if marker is None else marker
    agent = _agent(text, anchor, parties)
    if agent is not None:
        actor = agent.payload.entity
        return actor, _target_before(anchor, parties, actor, domestic) or _target(anchor, parties, actor, domestic, skip=agent)
    if marker is not None and text.startswith(_PRONOUN, marker.start + 1):
        actor = _actor(marker, parties, text)
        return actor, _target_before(marker, parties, actor, domestic)
    listed = _listed_before(text, sentence, anchor, parties)
    if listed is not None:
        # "added 140 entities under the destination of China to the Entity List": the party before "to the" is listed
        actor = _actor(Hit(listed.start, listed.start, anchor.payload), parties, text)
        if actor is None or actor.id != listed.payload.entity.id:
            return actor, listed.payload.entity
    actor = _actor(anchor, parties, text) or _speaking_body(anchor, parties)
    if domestic:
        holder = _licence_holder(anchor, parties, actor)
        if holder is not None:
            return actor, holder
    return actor, _target(anchor, parties, actor, domestic)


def _licence_holder(measure: Hit[MeasureRef], parties: list[Hit[Alias]], actor: KnownEntity | None) -> KnownEntity | None:
    """For a licence, the firm that holds or needs it, the nearest one named, before a destination country
    ("ASML needs a licence to ship the scanners to China" is ASML's licence)."""
    firms = [
        hit for hit in parties
        if hit.payload.entity.type in ("company", "organization") and _eligible_target(hit.payload.entity, actor, True)
    ]
    if not firms:
        return None
    nearest = min(firms, key=lambda hit: hit.start - measure.end if hit.start >= measure.end else measure.start - hit.end)
    return nearest.payload.entity


def _speaking_body(measure: Hit[MeasureRef], parties: list[Hit[Alias]]) -> KnownEntity | None:
    """A government body named after the measure when none is named before it: the one the sentence quotes
    ("a licence is needed ..., the Bureau of Industry and Security said")."""
    return next((hit.payload.entity for hit in parties if hit.start >= measure.end and hit.payload.entity.type in ("agency", "ministry")), None)


_LISTED_INTO = re.compile(r"\b(?:to|on|onto)\s+(?:the\s+|its\s+|their\s+)?(?:[\w'’.-]+\s+){0,2}$", re.IGNORECASE)
_LISTING_VERB = re.compile(r"\b(?:add|adds|added|adding|place[sd]?|placing|put|puts|putting|include[sd]?|including|move[sd]?|moving)\b", re.IGNORECASE)
_LAW_AFTER = re.compile(r"^\s*(?:law|act|regulations?|法|条例)", re.IGNORECASE)


def _names_a_law(text: str, measure: Hit[MeasureRef]) -> bool:
    """Whether the measure's words name a law ("Anti-Foreign Sanctions Law", 《反外国制裁法》), not a measure taken."""
    return _LAW_AFTER.match(text, measure.end) is not None


def _listed_before(
    text: str, sentence: Sentence, measure: Hit[MeasureRef], parties: list[Hit[Alias]],
) -> Hit[Alias] | None:
    """The party a listing verb puts on the measure's list: "added Huawei to the Entity List"."""
    if not _LISTED_INTO.search(text, max(sentence.start, measure.start - 30), measure.start):
        return None
    before = [hit for hit in parties if hit.end <= measure.start and measure.start - hit.end <= 80]
    if not before or not _LISTING_VERB.search(text, max(sentence.start, before[-1].start - 60), before[-1].start):
        return None
    return before[-1]


def _is_place(text: str, sentence: Sentence, hit: Hit[Alias]) -> bool:
    """Whether a country or city is named as where something happens ("talks in Geneva", 在伦敦举行)."""
    if hit.payload.entity.type != "country":
        return False
    return _PLACE.search(text, max(sentence.start, hit.start - 12), hit.start) is not None


def _agent(text: str, measure: Hit[MeasureRef], parties: list[Hit[Alias]]) -> Hit[Alias] | None:
    """The party a passive measure names as its agent: "sanctioned by the Treasury", "licences from the Dutch government"."""
    for hit in parties:
        if hit.start >= measure.end and hit.start - measure.end <= 40:
            if _AGENT.search(text[measure.end : hit.start]):
                return hit
            return None
    return None


def _actor(measure: Hit[MeasureRef], aliases: list[Hit[Alias]], text: str) -> KnownEntity | None:
    """The nearest body or official before the measure (the first of bodies named together); failing those, the
    first country (the subject: "Britain ... with close ties to the Kremlin, and banned them" is Britain's act)."""
    before = [hit for hit in aliases if hit.end <= measure.start]
    for kinds in _ACTOR_PREFERENCE:
        chosen = [hit for hit in before if hit.payload.entity.type in kinds]
        if not chosen:
            continue
        if "country" in kinds:
            return chosen[0].payload.entity
        index = len(chosen) - 1
        while index and _JOINED_BODIES.match(text[chosen[index - 1].end : chosen[index].start]):
            index -= 1
        return chosen[index].payload.entity
    return None


def _eligible_target(entity: KnownEntity, actor: KnownEntity | None, domestic: bool) -> bool:
    if entity.type not in _TARGET_TYPES or (actor and entity.id == actor.id):
        return False
    if actor and entity.id == actor.country:
        return False  # a government's measure is not on its own country; on its own firms only when `domestic`
    return domestic or not (actor and actor.country and entity.country == actor.country)


def _target(
    measure: Hit[MeasureRef], aliases: list[Hit[Alias]], actor: KnownEntity | None, domestic: bool,
    *, skip: Hit[Alias] | None = None,
) -> KnownEntity | None:
    after = [hit for hit in aliases if hit.start >= measure.end and hit is not skip]
    candidates = after or [hit for hit in aliases if hit.end <= measure.start]
    for index, hit in enumerate(candidates):
        if not _eligible_target(hit.payload.entity, actor, domestic):
            continue
        following = candidates[index + 1] if index + 1 < len(candidates) else None
        if (
            hit.payload.entity.type == "country" and following is not None and following.start - hit.end <= 30
            and following.payload.entity.type in ("company", "organization", "person")
            and _eligible_target(following.payload.entity, actor, domestic)
        ):
            return following.payload.entity  # "U.S. drone maker Skydio", 美国雷神公司: the country qualifies the firm
        return hit.payload.entity
    return None


def _target_before(
    measure: Hit[MeasureRef], aliases: list[Hit[Alias]], actor: KnownEntity | None, domestic: bool,
) -> KnownEntity | None:
    """The party named last before the measure, a company or organisation before a country: the subject of a
    passive ("Huawei was added to the Entity List by ...") or what 其 refers to (对雷神公司…对其采取反制措施)."""
    before = [
        hit.payload.entity for hit in aliases if hit.end <= measure.start and _eligible_target(hit.payload.entity, actor, domestic)
    ]
    parties = [entity for entity in before if entity.type != "country"]
    return (parties or before or [None])[-1]

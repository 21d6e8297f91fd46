"""Events from the sentences that carry evidence for sanctions, licence and control tags, and from the other
sentences of an article so tagged that name a measure and a party without a word of another domain.

In each such sentence, every measure phrase from the taxonomy's vocabulary makes an event, with its actor and
target read by enrich.event_roles from the sentence's word order. A role the sentence does not give is the one
the article's last event had ("their property is frozen"), or stays empty; an event another one says in full is
dropped. Objects come from the objects vocabulary, and the date is the sentence's own (resolved against
publication) or, for "the same day", the last date the article named.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from tradewire.core.enrichment import Event, Evidence
from tradewire.enrich.dates import SAME_DAY, resolve_date
from tradewire.enrich.event_roles import coordinated, eligible_target, part_named_beside, roles
from tradewire.enrich.gazetteer import Alias, KnownEntity
from tradewire.enrich.measure_context import evaded, is_approval_by_another, names_a_law
from tradewire.enrich.modality import classify
from tradewire.enrich.party_context import approves, blocks, is_excepted, is_place
from tradewire.enrich.payloads import BODY_TYPES, SentenceHits
from tradewire.enrich.phrases import Hit, leftmost_longest
from tradewire.enrich.tagger import SentenceEvidence
from tradewire.enrich.taxonomy import Taxonomy
from tradewire.enrich.text import Sentence, WordGaps


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
    last_tag: str | None = None
    # The body the article last named first in a sentence: who issues a notice ("AGENCY: Bureau of Industry and
    # Security ... Exporters shall obtain a license") when its measures' sentences name no one.
    last_body: KnownEntity | None = None
    for index, (sentence, hits) in enumerate(zip(sentences, sentence_hits)):
        body_before = last_body
        last_body = _first_body(hits.aliases) or last_body
        tag = event_tag_by_sentence.get(sentence.start)
        if tag is None and hits.measures and hits.aliases and not hits.negatives:
            # A measure the article goes on about in a sentence of its own ("The Office of Foreign Assets Control did
            # blacklist a refinery"): an event of the tag of the article's last one, or of its first event tag.
            tag = last_tag or next((name for name in taxonomy.events.tags if name in tagged), None)
        if tag is None or not hits.measures:
            continue
        last_tag = tag
        measures = leftmost_longest(hits.measures)
        sentence_text = sentence.text_of(text)
        named_date = dates.of(index)
        found = [hit for hit in found_parties if sentence.start <= hit.start and hit.end <= sentence.end]
        aliases = leftmost_longest(hits.aliases + found) if found else leftmost_longest(hits.aliases)
        objects = list(dict.fromkeys(hit.payload.name for hit in hits.objects))
        # Built without validation: every value comes from the text and the taxonomy, valid by construction.
        evidence = Evidence.model_construct(text=sentence_text, start=sentence.start, end=sentence.end, rules=[])
        parties = [
            hit for hit in aliases
            if not hit.payload.entity.media and not is_place(text, sentence, hit) and not is_excepted(text, sentence, hit)
        ]
        seen: set[tuple[str, str | None, str | None]] = set()
        targeted: set[str] = set()
        for measure in measures:
            name = measure.payload.name
            if (
                names_a_law(text, measure) or evaded(text, measure) or hits.in_body_name(measure)
                or is_approval_by_another(text, measure, aliases)
            ):
                continue
            measure_parties = [hit for hit in parties if not blocks(text, hit, measure) and not approves(text, hit)]
            actor, target = roles(text, sentence, measure, measure_parties, last_actor, frozenset(targeted))
            said = (name, actor.id if actor else None, target.id if target else None)
            if said in seen or (name, None, None) in seen and target is None:
                continue
            seen.add(said)
            # "The ministry said the measures ...", "their property is frozen": a role the sentence leaves unnamed is
            # the last one the article named.
            actor = actor or last_actor or body_before
            if target is None and last_target is not None and eligible_target(last_target, actor, measure.payload):
                target = last_target
            last_actor, last_target = actor, target
            if target is not None:
                targeted.add(target.id)
            modality = classify(
                measure, hits.cues, gaps, taxonomy.cue_windows, when_ended=measure.payload.when_ended or taxonomy.tags[tag].when_ended
            )
            for party in [target, *coordinated(text, target, measure_parties, actor)]:
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


def _first_body(aliases: list[Hit[Alias]]) -> KnownEntity | None:
    """The first government body or organisation a sentence names, or the part of it named beside it."""
    bodies = [hit.payload.entity for hit in aliases if hit.payload.entity.type in BODY_TYPES and not hit.payload.entity.media]
    return part_named_beside(bodies[0], bodies) if bodies else None


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

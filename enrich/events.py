"""Events from the sentences that carry evidence for sanctions, licence and control tags.

In each such sentence, every measure phrase from the taxonomy's vocabulary makes an event:
the actor is the nearest entity named before the measure, the target the first country or
company after it that is not the actor's own country (in Chinese, around the object marker
对/向/将/把 instead of the measure), objects come from the objects vocabulary,
and the date is the sentence's own (resolved against publication) or, for "the same day", the
last date the article named.
"""

from __future__ import annotations

from datetime import date

from enrich.dates import SAME_DAY, resolve_date
from enrich.gazetteer import Alias, KnownEntity
from enrich.modality import classify
from enrich.model import Event, Evidence
from enrich.payloads import MeasureRef, SentenceHits
from enrich.phrases import Hit, leftmost_longest
from enrich.tagger import SentenceEvidence
from enrich.taxonomy import Taxonomy
from enrich.text import Sentence, WordGaps

# Who acts: a government body, an official or an organisation before the measure; a country or company only failing those.
_ACTORS_FIRST = {"agency", "ministry", "person", "organization"}
_ACTORS_THEN = {"country", "company"}
_TARGET_TYPES = {"country", "company", "organization", "person"}
_OBJECT_MARKERS = "对向将把"
_MARKER_REACH = 5  # characters from the marker to the target's name (将17家美国实体)


def extract_events(
    taxonomy: Taxonomy,
    text: str,
    gaps: WordGaps,
    sentences: list[Sentence],
    sentence_hits: list[SentenceHits],
    evidence_by_tag: dict[str, list[SentenceEvidence]],
    tagged: set[str],
    published: date | None,
) -> list[Event]:
    if taxonomy.events is None:
        return []
    event_tag_by_sentence: dict[int, str] = {}
    for tag in taxonomy.events.tags:
        if tag in tagged:
            for evidence in evidence_by_tag.get(tag, []):
                event_tag_by_sentence.setdefault(evidence.sentence.start, tag)

    events: list[Event] = []
    for index, (sentence, hits) in enumerate(zip(sentences, sentence_hits)):
        tag = event_tag_by_sentence.get(sentence.start)
        if tag is None or not hits.measures:
            continue
        measures = leftmost_longest(hits.measures)
        sentence_text = sentence.text_of(text)
        named_date = _date_of(index, text, sentences, published)
        aliases = leftmost_longest(hits.aliases)
        objects = list(dict.fromkeys(hit.payload.name for hit in hits.objects))
        # Built without validation: every value comes from the text and the taxonomy, valid by construction.
        evidence = Evidence.model_construct(text=sentence_text, start=sentence.start, end=sentence.end, rules=[])
        seen: set[str] = set()
        for measure in measures:
            name = measure.payload.name
            if name in seen:
                continue
            seen.add(name)
            marker = _object_marker(text, sentence, measure, aliases)
            actor = _actor(measure if marker is None else marker, aliases)
            target = _target(measure if marker is None else marker, aliases, actor)
            modality = classify(
                measure, hits.cues, gaps, taxonomy.cue_windows, can_be_lifted=taxonomy.tags[tag].can_be_lifted
            )
            events.append(
                Event.model_construct(
                    measure=name,
                    tag=tag,
                    actor=actor.name if actor else None,
                    actor_id=actor.id if actor else None,
                    target=target.name if target else None,
                    target_id=target.id if target else None,
                    objects=objects,
                    date=named_date,
                    modality=modality,
                    evidence=Evidence.model_construct(**{**evidence.__dict__, "modality": modality}),
                )
            )
    return events


def _date_of(index: int, text: str, sentences: list[Sentence], published: date | None) -> date | None:
    """The date sentence `index` names; for "the same day", the last date named before it (only looked up when needed)."""
    sentence = sentences[index].text_of(text)
    named = resolve_date(sentence, published)
    if named is not None or not SAME_DAY.search(sentence):
        return named
    for earlier in range(index - 1, -1, -1):
        named = resolve_date(sentences[earlier].text_of(text), published)
        if named is not None:
            return named
    return None


def _object_marker(
    text: str, sentence: Sentence, measure: Hit[MeasureRef], aliases: list[Hit[Alias]]
) -> Hit[MeasureRef] | None:
    """In Chinese the measure's target comes before it, after 对/向/将/把 (中方决定将17家美国实体列入…清单, 美方未对
    中国企业实施制裁): the marker then stands where the measure would in English word order, so the actor is named
    before it and the target after it."""
    for position in range(measure.start - 1, sentence.start - 1, -1):
        if text[position] not in _OBJECT_MARKERS:
            continue
        # (an alias may hold the marker itself: 对美, 对华)
        if any(position <= hit.start <= position + _MARKER_REACH and hit.end <= measure.start for hit in aliases):
            return Hit(position, position, measure.payload)
    return None


def _actor(measure: Hit[MeasureRef], aliases: list[Hit[Alias]]) -> KnownEntity | None:
    before = [hit.payload.entity for hit in aliases if hit.end <= measure.start and not hit.payload.entity.media]
    for kinds in (_ACTORS_FIRST, _ACTORS_THEN):
        chosen = [entity for entity in before if entity.type in kinds]
        if chosen:
            return chosen[-1]
    return None


def _target(measure: Hit[MeasureRef], aliases: list[Hit[Alias]], actor: KnownEntity | None) -> KnownEntity | None:
    actor_country = actor.country if actor else None
    candidates = [hit.payload.entity for hit in aliases if hit.start >= measure.end] or [
        hit.payload.entity for hit in aliases if hit.end <= measure.start
    ]
    for entity in candidates:
        if entity.type not in _TARGET_TYPES or entity.media or (actor and entity.id == actor.id):
            continue
        if actor_country and entity.country == actor_country:
            continue
        return entity
    return None

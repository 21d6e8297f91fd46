"""The enrichment stage: text (and publication date) in, tags with evidence, entities and events out.

`Enricher` compiles a taxonomy and a gazetteer once into a single phrase automaton; `enrich` is then
a pure function of its arguments, cheap enough to run per article in a worker process.
"""

from __future__ import annotations

from datetime import date

from tradewire.core.enrichment import Enrichment, Entity
from tradewire.enrich.entities import collect_entities
from tradewire.enrich.events import extract_events
from tradewire.enrich.gazetteer import Alias, Gazetteer, KnownEntity, aliases_of
from tradewire.enrich.language import detect_language
from tradewire.enrich.modality import without_false_cues
from tradewire.enrich.names import TITLES, find_names
from tradewire.enrich.payloads import (
    BUCKETS,
    ClauseBreak,
    Cue,
    MeasureRef,
    NearWord,
    NegativeCue,
    NotCue,
    ObjectRef,
    RuleRef,
    SentenceHits,
    TitleRef,
)
from tradewire.enrich.phrases import CaseRule, Hit, Phrase, PhraseMatcher
from tradewire.enrich.tagger import score_tags
from tradewire.enrich.taxonomy import Taxonomy
from tradewire.enrich.text import WordGaps, is_cjk, matching_form, split_sentences


class Enricher:
    def __init__(self, taxonomy: Taxonomy, gazetteer: Gazetteer) -> None:
        self.taxonomy = taxonomy
        self.gazetteer = gazetteer
        self._matcher: PhraseMatcher[object] = PhraseMatcher(
            [*_taxonomy_phrases(taxonomy), *_alias_phrases(gazetteer)]
        )
        self._rule_languages = taxonomy.rule_languages()

    def enrich(self, text: str, *, published: date | None = None, language: str | None = None) -> Enrichment:
        language = language or detect_language(text)
        folded = matching_form(text)
        sentences = split_sentences(text)
        hits = self._matcher.find(text, folded)

        sentence_hits = [SentenceHits() for _ in sentences]
        aliases: list[Hit[Alias]] = []
        titles_end_at: list[int] = []
        # hits and sentences are both in text order: each hit goes to the sentence it lies in, if any
        bounds = [(sentence.start, sentence.end) for sentence in sentences]
        index, last = 0, len(sentences) - 1
        sentence_start, sentence_end = bounds[0] if bounds else (0, -1)
        next_start = bounds[1][0] if last > 0 else _BEYOND
        for hit in hits:
            start, end, payload = hit
            kind = BUCKETS[type(payload)]
            if kind == "aliases":
                aliases.append(hit)  # type: ignore[arg-type]
            elif kind == "titles":
                titles_end_at.append(end)
                continue
            while next_start <= start:
                index += 1
                sentence_start, sentence_end = bounds[index]
                next_start = bounds[index + 1][0] if index < last else _BEYOND
            if sentence_start <= start and end <= sentence_end:
                getattr(sentence_hits[index], kind).append(hit)

        measure_sentences = [(sentence.start, sentence.end) for sentence, hit in zip(sentences, sentence_hits) if hit.measures]
        entities = collect_entities(text, aliases, find_names(text, titles_end_at, measure_sentences))
        if language is not None and language not in self._rule_languages:
            # Rules of another language misfire on it ("sin embargo" is "however"): no tags rather than wrong ones.
            return Enrichment(language=language, tagging_note=f"no rules for {language}", entities=entities)
        for sentence_hit in sentence_hits:
            if sentence_hit.cues:
                sentence_hit.cues = without_false_cues(sentence_hit.cues)
        gaps = WordGaps(folded)
        tags, evidence_by_tag = score_tags(self.taxonomy, text, gaps, sentences, sentence_hits, language)
        events = extract_events(
            self.taxonomy, text, gaps, sentences, sentence_hits, evidence_by_tag, {tag.name for tag in tags}, published,
            _found_parties(entities),
        )
        return Enrichment(language=language, tags=tags, entities=entities, events=events)


_BEYOND = 1 << 62  # an offset past any text's end


def _found_parties(entities: list[Entity]) -> list[Hit[Alias]]:
    """The mentions of entities found by pattern ("Jade Harbour Shipping Co"), as parties events may name."""
    parties = []
    for entity in entities:
        if not entity.known:
            party = Alias(entity.name, KnownEntity(entity.id, entity.name, entity.type, None, found=True))
            parties += [Hit(mention.start, mention.end, party) for mention in entity.mentions]
    return sorted(parties)


def _taxonomy_phrases(taxonomy: Taxonomy) -> list[Phrase[object]]:
    phrases: list[Phrase[object]] = []
    rule_index = 0
    for tag_name, spec in taxonomy.tags.items():
        for rule in spec.rules:
            ref = RuleRef(tag_name, rule, rule_index)
            phrases += [Phrase(pattern, ref, rule.case) for pattern in rule.phrases]
            phrases += [Phrase(word, NearWord(rule_index)) for word in rule.near]
            rule_index += 1
        phrases += [Phrase(pattern, NegativeCue(tag_name, 0)) for pattern in spec.other_senses]
        phrases += [Phrase(pattern, NegativeCue(tag_name, spec.negative_window)) for pattern in spec.negative]
    for cues in taxonomy.modality.values():
        for modality in ("negated", "hypothetical", "reported", "lifted", "eased", "asserted", "refuted", "background", "counterfactual"):
            phrases += [Phrase(pattern, Cue(modality)) for pattern in getattr(cues, modality)]
        phrases += [Phrase(pattern, ClauseBreak()) for pattern in cues.clause_breaks]
        phrases += [Phrase(pattern, NotCue()) for pattern in cues.not_cues]
    if taxonomy.events:
        for entry in taxonomy.events.measures:
            phrases += [Phrase(pattern, MeasureRef(entry.name, entry.domestic_targets, entry.person_targets, entry.when_ended)) for pattern in entry.phrases]
        for entry in taxonomy.events.objects:
            phrases += [Phrase(pattern, ObjectRef(entry.name)) for pattern in entry.phrases]
    return phrases


def _alias_phrases(gazetteer: Gazetteer) -> list[Phrase[object]]:
    return [Phrase(alias.text, alias, _case_rule(alias.text, alias.entity.type)) for alias in aliases_of(gazetteer)] + [
        Phrase(title, TitleRef(), "exact") for title in TITLES
    ]


_LOWER_CASED_IN_NEWS = {"agency", "ministry", "organization"}


def _case_rule(alias: str, entity_type: str) -> CaseRule:
    """How an alias must be written in the text to count.

    Names written in lower case match in any case ("commerce ministry"); CJK names anywhere; acronyms exactly
    ("US", not "us"). Names of several capitalised words of companies, people and countries exactly as
    written ("U.S. Steel", not "U.S. steel"); of government bodies and organisations, which news style often
    lower-cases ("China's foreign ministry"), and all one-word names, with a capital first letter.
    """
    if any(is_cjk(char) for char in alias) or alias[:1].islower():
        return "any"
    letters = [char for char in alias if char.isalpha()]
    if letters and all(char.isupper() for char in letters):
        return "exact"
    capitalised_words = sum(1 for word in alias.split() if word[:1].isupper())
    if capitalised_words >= 2 and entity_type not in _LOWER_CASED_IN_NEWS:
        return "exact"
    return "capitalized"

"""Tag scores and evidence from the hits of the taxonomy's rules, sentence by sentence.

A sentence's weight for a tag is its strongest rule's weight plus half of the other distinct rules'
weights (at most twice the strongest). A tag's score is 1 - exp(-sum of its sentences' weights), so
one rule of weight 0.7 alone reaches 0.5: the shipped threshold means "one strong cue or two
moderate ones". Evidence keeps the heaviest sentences, in document order.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass, field

from tradewire.core.enrichment import MODALITY_STRENGTH, Evidence, Modality, Tag
from tradewire.enrich.modality import classify
from tradewire.enrich.payloads import Cue, NearWord, NegativeCue, RuleRef, SentenceHits
from tradewire.enrich.phrases import Hit
from tradewire.enrich.taxonomy import ANY_LANGUAGE, Taxonomy
from tradewire.enrich.text import Sentence, WordGaps


@dataclass(slots=True)
class SentenceEvidence:
    """What one sentence says for one tag: the rules that fired there and how."""

    sentence: Sentence
    triggers: list[Hit[RuleRef]] = field(default_factory=list)
    modality: Modality = "negated"
    # The sentence tells what was done before ("had already frozen"): it does not decide the article's modality.
    background: bool = False

    def weight(self) -> float:
        weights = {hit.payload.rule.id: hit.payload.rule.weight for hit in self.triggers}
        strongest = max(weights.values())
        return min(strongest + 0.5 * (sum(weights.values()) - strongest), 2 * strongest)


def score_tags(
    taxonomy: Taxonomy,
    text: str,
    gaps: WordGaps,
    sentences: list[Sentence],
    sentence_hits: list[SentenceHits],
    language: str | None,
) -> tuple[list[Tag], dict[str, list[SentenceEvidence]]]:
    """The tags that reach their threshold, and for every tag with hits the evidence per sentence."""
    per_tag: dict[str, list[SentenceEvidence]] = defaultdict(list)
    for sentence, hits in zip(sentences, sentence_hits):
        if not hits.rules:
            continue
        found: dict[str, SentenceEvidence] = {}
        background = any(type(hit.payload) is Cue and hit.payload.modality == "background" for hit in hits.cues)
        for hit in hits.rules:
            ref = hit.payload
            if hits.negatives and _cancelled(hit, hits.negatives, gaps):
                continue
            if language and (ref.rule.lang or taxonomy.language) not in (language, ANY_LANGUAGE):
                continue
            if ref.rule.near and not _has_context(hit, hits.near, hits.negatives, gaps):
                continue
            evidence = found.get(ref.tag)
            if evidence is None:  # (not setdefault: it would make an evidence for every hit)
                evidence = found[ref.tag] = SentenceEvidence(sentence)
            evidence.triggers.append(hit)
        for tag_name, evidence in found.items():
            # The sentence states what most of its triggers state (those naming a body or a document, 《出口管制法》, do
            # not say what was done); a tie goes to the stronger.
            voters = [
                trigger for trigger in evidence.triggers
                if not hits.in_body_name(trigger) and not _in_title_marks(text, sentence.start, trigger.start)
                and not _TITLE_BEFORE_NAME.match(text, trigger.start, trigger.end + 3)
            ] or evidence.triggers
            when_ended = taxonomy.tags[tag_name].when_ended
            if len(voters) == 1:
                evidence.modality = classify(
                    voters[0], hits.cues, gaps, taxonomy.cue_windows, when_ended=_ending_of(voters[0], hits, when_ended)
                )
            else:
                votes: dict[Modality, int] = {}
                for trigger in voters:
                    modality = classify(
                        trigger, hits.cues, gaps, taxonomy.cue_windows, when_ended=_ending_of(trigger, hits, when_ended)
                    )
                    votes[modality] = votes.get(modality, 0) + 1
                evidence.modality = max(votes, key=lambda modality: (votes[modality], MODALITY_STRENGTH[modality]))
            evidence.background = background
            per_tag[tag_name].append(evidence)

    weights = {tag_name: [evidence.weight() for evidence in evidences] for tag_name, evidences in per_tag.items()}
    scores = {tag_name: round(1 - math.exp(-sum(tag_weights)), 3) for tag_name, tag_weights in weights.items()}
    reached = {tag_name for tag_name, score in scores.items() if score >= taxonomy.threshold_for(tag_name)}
    yielded = _yielded(per_tag, reached)
    tags: list[Tag] = []
    for tag_name, evidences in per_tag.items():
        if tag_name not in reached or tag_name in yielded:
            continue
        tag_weights = weights[tag_name]
        heaviest = [evidences[index] for index in sorted(range(len(evidences)), key=lambda i: -tag_weights[i])]
        heaviest = heaviest[: taxonomy.max_evidence]
        heaviest.sort(key=lambda e: e.sentence.start)
        tags.append(
            Tag(
                name=tag_name,
                score=scores[tag_name],
                modality=_main_modality(evidences, tag_weights),
                evidence=[_evidence(text, e) for e in heaviest],
            )
        )
    tags.sort(key=lambda tag: -tag.score)
    return tags, per_tag


def _yielded(per_tag: dict[str, list[SentenceEvidence]], reached: set[str]) -> set[str]:
    """The tags whose every hit is of a rule yielding to a tag the article has: "duties" in an anti-dumping case are
    the trade remedy's, not a tariff ("lodge securities for the duties")."""
    yielded = set()
    for tag_name, evidences in per_tag.items():
        yielding_to = {hit.payload.rule.yields_to for evidence in evidences for hit in evidence.triggers}
        if None not in yielding_to and yielding_to <= reached:
            yielded.add(tag_name)
    return yielded


def _ending_of(trigger: Hit[RuleRef], hits: SentenceHits, tags_ending: Modality) -> Modality:
    """What ending the trigger's measure states: its measure's own where the vocabulary gives one ("no longer need
    licences" lifts a requirement), else its tag's (a licence revoked is a measure taken)."""
    for measure in hits.measures:
        if measure.payload.when_ended and measure.start < trigger.end and trigger.start < measure.end:
            return measure.payload.when_ended
    return tags_ending


# A person's title ("chief tariff negotiator Ryosei Akazawa") says who someone is, not what was done.
_TITLE_BEFORE_NAME = re.compile(r"(?i:negotiators?|representative)\s+[A-Z]")


def _in_title_marks(text: str, sentence_start: int, offset: int) -> bool:
    """Whether `offset` lies inside 《…》, the marks around the name of a law, a list or a document."""
    opening = text.rfind("《", sentence_start, offset)
    return opening >= 0 and text.find("》", opening, offset) < 0


def _main_modality(evidences: list[SentenceEvidence], weights: list[float]) -> Modality:
    """The tag's modality follows its main measure: the first sentence's (news leads with its point; a sentence on
    what was done before is passed over), unless a later sentence, weighing at least as much and not telling what
    was done before, states a stronger one ("no talks are under way" stays denied when earlier talks are
    mentioned in passing; "for weeks Beijing had warned ... On Tuesday it banned" is imposed)."""
    first = next((index for index, evidence in enumerate(evidences) if not evidence.background), 0)
    lede = evidences[first]
    # After a lede that lifts a measure, the sentences that state it describe what is lifted ("scraps cotton import
    # duty ... the 5% duty on cotton will be exempt"): only a heavier one speaks for the article.
    lede_weight, ties_count = weights[first], lede.modality != "lifted"
    stronger = [
        evidence for evidence, weight in zip(evidences[first + 1 :], weights[first + 1 :])
        if MODALITY_STRENGTH[evidence.modality] > MODALITY_STRENGTH[lede.modality] and not evidence.background
        and (weight > lede_weight or (ties_count and weight == lede_weight))
    ]
    return max([lede, *stronger], key=lambda evidence: MODALITY_STRENGTH[evidence.modality]).modality


def _cancelled(trigger: Hit[RuleRef], negatives: list[Hit[NegativeCue]], gaps: WordGaps) -> bool:
    """Whether a negative cue of the trigger's tag covers it or is near enough to it."""
    for negative in negatives:
        cue = negative.payload
        if cue.tag != trigger.payload.tag:
            continue
        if negative.start < trigger.end and trigger.start < negative.end:
            return True
        if cue.reach:
            if negative.end <= trigger.start:
                gap = gaps.between(negative.end, trigger.start)
            else:
                gap = gaps.between(trigger.end, negative.start)
            if gap <= cue.reach:
                return True
    return False


def _has_context(trigger: Hit[RuleRef], near: list[Hit[NearWord]], negatives: list[Hit[NegativeCue]], gaps: WordGaps) -> bool:
    """Whether a context word of the trigger's rule is in reach; not one inside another sense of any tag's words
    ("trade" in "World Trade Centre" is no trade anchor, nor "tariffs" in "taxi tariffs" an anchor for talks)."""
    rule_index = trigger.payload.index
    window = trigger.payload.rule.window
    senses = [hit for hit in negatives if not hit.payload.reach] if negatives else []
    for hit in near:
        if hit.payload.rule_index == rule_index and not (senses and any(s.start <= hit.start and hit.end <= s.end for s in senses)):
            if hit.end <= trigger.start:
                gap = gaps.between(hit.end, trigger.start)
            elif hit.start >= trigger.end:
                gap = gaps.between(trigger.end, hit.start)
            else:
                continue
            if gap <= window:
                return True
    return False


def _evidence(text: str, evidence: SentenceEvidence) -> Evidence:
    rules = list(dict.fromkeys(hit.payload.rule.id for hit in evidence.triggers))
    sentence = evidence.sentence
    return Evidence(
        text=sentence.text_of(text), start=sentence.start, end=sentence.end, rules=rules, modality=evidence.modality
    )

"""Whether a trigger phrase states a measure taken, reported, hypothetical or negated.

Cues (from the taxonomy's `modality:` lists) count when they sit in the trigger's clause: a negation or
hypothetical cue within its configured reach before or after the trigger, an attribution cue ("according
to people familiar", "reportedly") anywhere in the clause. A negation nearer than any hypothetical cue
makes it negated; else an attribution makes it reported; else a hypothetical cue; else it is asserted.
"""

from __future__ import annotations

from dataclasses import dataclass

from enrich.model import Modality
from enrich.phrases import Hit
from enrich.taxonomy import CueWindow
from enrich.text import is_cjk


@dataclass(frozen=True, slots=True)
class Cue:
    modality: Modality


@dataclass(frozen=True, slots=True)
class ClauseBreak:
    pass


def gap_in_words(folded: str, start: int, end: int) -> int:
    """Roughly how many words lie between two offsets (two CJK characters count as a word)."""
    if end <= start:
        return 0
    segment = folded[start:end]
    return len(segment.split()) + sum(1 for char in segment if is_cjk(char)) // 2


def classify(
    trigger: Hit[object],
    sentence_hits: list[Hit[object]],
    folded: str,
    windows: dict[str, CueWindow],
) -> Modality:
    clause_start, clause_end = _clause_around(trigger, sentence_hits)
    nearest: dict[str, int] = {}
    reported = False
    for hit in sentence_hits:
        cue = hit.payload
        if not isinstance(cue, Cue) or hit.start < clause_start or hit.end > clause_end:
            continue
        if cue.modality == "reported":
            reported = True
            continue
        if hit.end <= trigger.start:
            distance = gap_in_words(folded, hit.end, trigger.start)
            reach = windows[cue.modality].before
        elif hit.start >= trigger.end:
            distance = gap_in_words(folded, trigger.end, hit.start)
            reach = windows[cue.modality].after
        else:
            continue
        if distance <= reach:
            nearest[cue.modality] = min(distance, nearest.get(cue.modality, distance))
    if "negated" in nearest and nearest["negated"] <= nearest.get("hypothetical", 1 << 30):
        return "negated"
    if reported:
        return "reported"
    if nearest:
        return "hypothetical" if "hypothetical" in nearest else "negated"
    return "asserted"


def _clause_around(trigger: Hit[object], sentence_hits: list[Hit[object]]) -> tuple[int, int]:
    start, end = 0, 1 << 62
    for hit in sentence_hits:
        if isinstance(hit.payload, ClauseBreak):
            if hit.end <= trigger.start:
                start = max(start, hit.end)
            elif hit.start >= trigger.end:
                end = min(end, hit.start)
    return start, end

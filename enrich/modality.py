"""Whether a trigger phrase states a measure taken, reported, hypothetical or negated.

Cues (from the taxonomy's `modality:` lists) count when they sit in the trigger's clause: a negation or
hypothetical cue within its configured reach before or after it, a reporting cue anywhere before it.
The nearest negation/hypothetical cue decides; otherwise a reporting cue; otherwise the measure is asserted.
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
    nearest: tuple[int, Modality] | None = None
    reported = False
    for hit in sentence_hits:
        cue = hit.payload
        if not isinstance(cue, Cue) or hit.start < clause_start or hit.end > clause_end:
            continue
        if hit.end <= trigger.start:
            distance = gap_in_words(folded, hit.end, trigger.start)
            if cue.modality == "reported":
                reported = True
                continue
            if distance > windows[cue.modality].before:
                continue
        elif hit.start >= trigger.end:
            distance = gap_in_words(folded, trigger.end, hit.start)
            if cue.modality == "reported" or distance > windows[cue.modality].after:
                continue
        else:
            continue
        if nearest is None or distance < nearest[0]:
            nearest = (distance, cue.modality)
    if nearest is not None:
        return nearest[1]
    return "reported" if reported else "asserted"


def _clause_around(trigger: Hit[object], sentence_hits: list[Hit[object]]) -> tuple[int, int]:
    start, end = 0, 1 << 62
    for hit in sentence_hits:
        if isinstance(hit.payload, ClauseBreak):
            if hit.end <= trigger.start:
                start = max(start, hit.end)
            elif hit.start >= trigger.end:
                end = min(end, hit.start)
    return start, end

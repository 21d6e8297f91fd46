"""Whether a trigger phrase states a measure taken, reported, hypothetical or negated.

Cues (from the taxonomy's `modality:` lists) count when they sit in the trigger's clause: a negation or
hypothetical cue within its configured reach before or after the trigger, an attribution cue ("according
to people familiar", "reportedly") anywhere in the clause. A negation nearer than any hypothetical cue
makes it negated; else an attribution makes it reported; else a hypothetical cue; else it is asserted.
"""

from __future__ import annotations

from enrich.model import Modality
from enrich.payloads import ClauseBreak, Cue
from enrich.phrases import Hit
from enrich.taxonomy import CueWindow
from enrich.text import WordGaps


def classify(
    trigger: Hit[object],
    cues: list[Hit[Cue | ClauseBreak]],
    gaps: WordGaps,
    windows: dict[str, CueWindow],
) -> Modality:
    """The trigger's modality from the sentence's cues and clause breaks (in text order)."""
    if not cues:
        return "asserted"
    clause_start, clause_end = _clause_around(trigger, cues)
    nearest: dict[str, int] = {}
    reported = False
    for hit in cues:
        cue = hit.payload
        if type(cue) is ClauseBreak or hit.start < clause_start or hit.end > clause_end:
            continue
        if cue.modality == "reported":
            reported = True
            continue
        if hit.end <= trigger.start:
            distance = gaps.between(hit.end, trigger.start)
            reach = windows[cue.modality].before
        elif hit.start >= trigger.end:
            distance = gaps.between(trigger.end, hit.start)
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


def _clause_around(trigger: Hit[object], cues: list[Hit[Cue | ClauseBreak]]) -> tuple[int, int]:
    start, end = 0, 1 << 62
    for hit in cues:
        if type(hit.payload) is ClauseBreak:
            if hit.end <= trigger.start:
                start = max(start, hit.end)
            elif hit.start >= trigger.end:
                end = min(end, hit.start)
    return start, end

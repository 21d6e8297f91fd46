"""Whether a measure phrase states a measure at all: not the name of a law, not a measure someone evades, not a body's
approval of another's decision."""

from __future__ import annotations

import re

from tradewire.enrich.gazetteer import Alias
from tradewire.enrich.party_context import approves
from tradewire.enrich.payloads import MeasureRef
from tradewire.enrich.phrases import Hit

_LAW_AFTER = re.compile(r"\s*(?:(?:laws?|act|regulations?)\b|法|条例)", re.IGNORECASE)


def names_a_law(text: str, measure: Hit[MeasureRef]) -> bool:
    """Whether the measure's words name a law ("Anti-Foreign Sanctions Law", 《反外国制裁法》, 根据出口管制法), not a measure
    taken: new regulations written in lower case ("issued new export control regulations", 发布新的出口管制条例) are one."""
    if _LAW_AFTER.match(text, measure.end) is None:
        return False
    first = text[measure.start]
    if first.isupper():
        return True
    opening = text.rfind("《", max(0, measure.start - 20), measure.start + 1)
    return (opening >= 0 and "》" not in text[opening : measure.start]) or _UNDER_LAW.search(
        text, max(0, measure.start - 12), measure.start
    ) is not None


def evaded(text: str, measure: Hit[MeasureRef]) -> bool:
    """Whether the measure is one someone evades ("accused of helping Iran evade the oil embargo", 协助俄罗斯规避制裁):
    a measure already in force that the sentence names, not one it takes."""
    return _EVADED.search(text, max(0, measure.start - 40), measure.start) is not None


_EVADED = re.compile(
    r"\b(?:evad(?:e|es|ed|ing)|evasion\s+of|circumvent(?:s|ed|ing)?|circumvention\s+of|skirt(?:s|ed|ing)?|bust(?:s|ed|ing)?|"
    r"dodg(?:e|es|ed|ing)|get(?:s|ting)?\s+around|got\s+around)\s+(?:(?:the|its|their|U\.?S\.?|Western|western)\s+)?(?:[\w-]+\s+){0,2}$"
    r"|(?:规避|逃避|绕过|绕开)$",
    re.IGNORECASE,
)

_UNDER_LAW = re.compile(r"(?:根据|依据|依照|按照|违反|under\s+(?:the\s+|its\s+)?|of\s+the\s+)$", re.IGNORECASE)


def is_approval_by_another(text: str, measure: Hit[MeasureRef], parties: list[Hit[Alias]]) -> bool:
    """Whether the measure's words are a body's approval of another's decision (经国务院批准), not a licence."""
    return any(hit.end == measure.start and approves(text, hit) for hit in parties)

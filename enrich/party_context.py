"""What a party's place in its sentence says about it, before anyone is asked to act or be reached: where something
happens or where parties are (a place), an exception to the measure, a blocker or approver of another's measure.
A party so named neither takes the measure nor is its target (except where parties are, who may be reached)."""

from __future__ import annotations

import re

from tradewire.enrich.gazetteer import Alias
from tradewire.enrich.payloads import MeasureRef
from tradewire.enrich.phrases import Hit
from tradewire.enrich.text import Sentence

_PLACE = re.compile(r"(?:\b(?:in|at)\s+(?:the\s+)?|[在于])$", re.IGNORECASE)

# "refiners in China", "a person in Russia": the country says where the parties are, and is one of them.
_PARTIES_AT = (
    r"\b(?i:compan(?:y|ies)|firms?|entit(?:y|ies)|banks?|refiner(?:s|y|ies)?|individuals|persons?|people|customers?|"
    r"buyers?|distributors?|trading hous(?:e|es)|shipowners?|insurers?|lenders?|subsidiar(?:y|ies)|suppliers?|"
    r"exporters?|importers?|traders?|groups?|officials|vessels|"
    r"fabs?|plants?|factor(?:y|ies)|manufacturers?|\w*makers?|producers?|end users?|users?|businesses|operators?)\s+"
    r"(?i:in|at)\s+(?i:the\s+)?"
)
_PARTIES_IN = re.compile(_PARTIES_AT + "$")
# Capitalised names written together before a party ("Canada, Mexico and "), not the lower-case words of a clause.
_NAMES_TOGETHER = r"(?:[A-Z][\w.'’-]*(?:\s+|,\s*|\s+and\s+(?:the\s+)?|\s+or\s+(?:the\s+)?))"


def is_place(text: str, sentence: Sentence, hit: Hit[Alias]) -> bool:
    """Whether a country or city is named as where something happens ("talks in Geneva", 在伦敦举行)."""
    if hit.payload.entity.type != "country":
        return False
    window = max(sentence.start, hit.start - 40)
    reach = max(sentence.start, hit.start - 80)
    if _ENTRY_WORDS.search(text, reach, hit.start) and _ENTERED.search(text, reach, hit.start):
        return True
    return _PLACE.search(text, max(sentence.start, hit.start - 12), hit.start) is not None and not _PARTIES_IN.search(
        text, window, hit.start
    )


_ENTRY_WORDS = re.compile(r"nter|ntry|ravel|isiting|入")
# Where an entry ban keeps people out is the country imposing it, not its target: "barred from entering mainland
# China, Hong Kong and Macau", 禁止其进入英国港口.
_ENTERED = re.compile(
    r"\b(?:entering|enter|entry\s+(?:in)?to|travel(?:l)?ing\s+to|visiting)\s+(?:the\s+|mainland\s+)?"
    rf"{_NAMES_TOGETHER}*$"
    r"|进入$|入境$"
)


def is_excepted(text: str, sentence: Sentence, hit: Hit[Alias]) -> bool:
    """Whether the party is named as an exception to the measure ("to all destinations except Canada and Mexico",
    向美国、韩国等42个国家和地区以外的目的地出口): it neither takes the measure nor is reached by it."""
    reach = max(sentence.start, hit.start - 80)
    if _EXCEPTION_WORDS.search(text, reach, sentence.end) is None:
        return False  # (a literal look first: the expressions below try every place)
    return (
        _EXCEPTED_BEFORE.search(text, reach, hit.start) is not None
        or _EXCEPTED_AFTER.match(text, hit.end, sentence.end) is not None
    )


_EXCEPTION_WORDS = re.compile(r"xcept|ther than|xcluding|part from|xempt|spared|除|以外|之外")
# (the names between "except" and the party: "except Canada, Mexico and", not lower-case words of a clause)
_EXCEPTED_BEFORE = re.compile(
    r"\b(?:[Ee]xcept(?:\s+for)?|[Oo]ther\s+than|[Ee]xcluding|[Aa]part\s+from|[Ee]xempting)\s+(?:the\s+)?"
    rf"{_NAMES_TOGETHER}*$"
    r"|(?<![解删排免移清剔去拆])除(?:了)?[^，。；：,;]{0,20}$"
)

# ("Japan and the Netherlands are excluded from the new rules": each of the names before the verb)
_EXCEPTED_AFTER = re.compile(
    r"(?:(?:,\s*|\s+and\s+(?:the\s+)?|\s+or\s+(?:the\s+)?)[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*)*)*\s+(?:(?:is|are|was|were|will\s+be|would\s+be|remain|remains)\s+)?"
    r"(?:excluded|exempted|exempt|spared)\s+from\b"
    r"|[^，。；：,;]{0,25}?(?:以外|之外|除外)"
)


def where_parties_are(text: str, hit: Hit[Alias]) -> bool:
    """Whether a country is named as where parties are ("refiners in India", "makers in South Korea and Japan")."""
    if hit.payload.entity.type != "country":
        return False
    reach = max(0, hit.start - 80)
    if text.find(" in ", reach, hit.start) < 0 and text.find(" at ", reach, hit.start) < 0:
        return False  # (a literal look first: the expressions below try every place)
    return (
        _PARTIES_IN.search(text, max(0, hit.start - 40), hit.start) is not None
        or _PARTIES_IN_LIST.search(text, reach, hit.start) is not None
    )


# (the names between are capitalised: "makers in South Korea and", not a clause's words)
_PARTIES_IN_LIST = re.compile(_PARTIES_AT + _NAMES_TOGETHER + "+$")


def approves(text: str, hit: Hit[Alias]) -> bool:
    """Whether the party approves what another body decides ("经国务院批准", "with the approval of the State
    Council"): it does not take the measure."""
    return (
        _APPROVED_BY_ZH.search(text, max(0, hit.start - 3), hit.start) is not None
        and _APPROVAL_ZH.match(text, hit.end) is not None
    ) or _APPROVED_BY_EN.search(text, max(0, hit.start - 30), hit.start) is not None


_APPROVED_BY_ZH = re.compile(r"经(?:过)?$")

_APPROVAL_ZH = re.compile(r"批准|同意|授权")

_APPROVED_BY_EN = re.compile(r"\bwith\s+the\s+(?:approval|consent|authori[sz]ation)\s+of\s+(?:the\s+)?$", re.IGNORECASE)


def blocks(text: str, hit: Hit[Alias], measure: Hit[MeasureRef]) -> bool:
    """Whether the party blocks or opposes the measure in the same clause ("Hungary had blocked agreement on a
    package of asset freezes", 中方坚决反对美方的单边制裁): it neither takes the measure nor is reached by it. (Not
    "China opposes the move and will take countermeasures": those are China's.)"""
    if hit.end > measure.start:
        return False
    verb = _BLOCKS.match(text, hit.end)
    return verb is not None and verb.end() <= measure.start and not _CLAUSE_END.search(text, verb.end(), measure.start)


_BLOCKS = re.compile(
    r"\s+(?:(?:had|has|have|again|repeatedly)\s+)?(?:blocked|blocks|blocking|vetoed|vetoes|opposed|opposes|objected|"
    r"objects|held\s+up|holds\s+up|stalled|resisted|resists)\b|[^，。；]{0,4}(?:反对|阻止|否决|阻挠)",
    re.IGNORECASE,
)

_CLAUSE_END = re.compile(
    r"[,，;；。]|\b(?:but|and\s+(?:will|would|shall|vowed|vows|pledged|threatened|warned|said|then|also))\b|[并但而]"
)

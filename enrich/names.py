"""Entities the gazetteer does not know, found by pattern: people after a title, organisations by their head word.

"Commerce Secretary Gina Raimondo", "spokesman He Yadong" -> people; "Directorate General of Trade
Remedies", "Westminster City Council", "Naura Technology Group" -> organisations, agencies, companies.
They are reported with `known=False`, so users can tell them from gazetteer entities.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tradewire.core.enrichment import EntityType
from tradewire.enrich.gazetteer import slug

_UPPER = "A-ZÀ-ÖØ-Þ"
_WORD = rf"[{_UPPER}][\w'’\-]*"
_PARTICLE = r"(?:da|de|di|do|dos|du|van|von|der|den|bin|al|el|la|le)"
_NAME = rf"{_WORD}(?:\s+(?:{_PARTICLE}\s+)*{_WORD}){{1,3}}"
_TITLES = (
    "President", "Vice President", "Prime Minister", "Premier", "Vice Premier", "Chancellor", "Minister", "Secretary",
    "Under Secretary", "Deputy Secretary", "Commissioner", "Senator", "Sen.", "Representative", "Rep.", "Governor",
    "Ambassador", "Chairman", "Chairwoman", "Chair", "Director", "Director-General", "Director General", "CEO",
    "Chief Executive", "chief executive", "spokesman", "spokeswoman", "spokesperson", "Mr.", "Ms.", "Mrs.", "Dr.",
    "King", "Crown Prince", "Speaker", "Trade Representative", "Representative", "Envoy", "envoy", "founder",
    "Founder", "chairman", "president", "minister", "secretary", "negotiator", "Negotiator", "Treasurer",
    "Attorney General", "Deputy Prime Minister", "Vice Chairman", "Governor", "Mayor",
    # How news names the people sanctions reach: "Chelsea owner Roman Abramovich", "RSF commander Mohamed Hamdan Dagalo".
    "owner", "tycoon", "oligarch", "billionaire", "businessman", "businesswoman", "commander", "Commander",
    "financier", "executive", "lawmaker",
)
TITLES = _TITLES
# The name right after a title the phrase automaton found.
_NAME_AFTER = re.compile(rf"\s+({_NAME})")
_ORG_RUN = re.compile(rf"{_WORD}(?:\s+(?:(?:of|and|for|on|the|de|du|&)\s+)?{_WORD})*")
_NOT_NAMES = {
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "January", "February", "March",
    "April", "May", "June", "July", "August", "September", "October", "November", "December", "The", "A", "An",
}
_HEADS: dict[str, EntityType] = {
    "Ministry": "ministry", "Department": "agency", "Agency": "agency", "Administration": "agency", "Bureau": "agency",
    "Office": "agency", "Authority": "agency", "Commission": "agency", "Service": "agency", "Services": "agency",
    "Directorate": "agency", "Board": "agency", "Unit": "agency", "Inspectorate": "agency", "Regulator": "agency",
    "Council": "organization", "Association": "organization", "Committee": "organization", "Parliament": "organization",
    "Court": "organization", "Federation": "organization", "Organization": "organization", "Organisation": "organization",
    "Institute": "organization", "Foundation": "organization", "Party": "organization", "Assembly": "organization",
    "Senate": "organization", "Congress": "organization", "Chamber": "organization", "Alliance": "organization",
    "Corporation": "company", "Corp": "company", "Corp.": "company", "Inc": "company", "Inc.": "company",
    "Ltd": "company", "Ltd.": "company", "Group": "company", "Holdings": "company", "Technology": "company",
    "Technologies": "company", "Motors": "company", "Motor": "company", "Energy": "company", "Electronics": "company",
    "Industries": "company", "Airlines": "company", "Semiconductor": "company", "Pharmaceuticals": "company",
    "Chemicals": "company", "Bank": "company", "AG": "company", "SE": "company", "NV": "company", "plc": "company",
    "PLC": "company", "Co": "company", "Co.": "company", "Company": "company", "Steel": "company", "Truck": "company", "Metals": "company",
    "Shipping": "company", "Shipmanagement": "company", "Maritime": "company", "Trading": "company", "Logistics": "company", "Refinery": "company",
    "Corps": "organization", "Forces": "organization", "Guard": "organization",
}


@dataclass(frozen=True, slots=True)
class FoundName:
    start: int
    end: int
    name: str
    type: EntityType

    @property
    def id(self) -> str:
        return slug(self.name)


def find_names(text: str, titles_end_at: list[int], measure_sentences: list[tuple[int, int]]) -> list[FoundName]:
    """People after titles (found by the phrase automaton, ending at `titles_end_at`), organisations with a head
    word, and in the sentences that name a measure (`measure_sentences`, as start and end offsets) the parties news
    names there; in text order (they may overlap gazetteer hits)."""
    found: list[FoundName] = []
    for end in titles_end_at:
        match = _NAME_AFTER.match(text, end)
        if match is None:
            continue
        name = _trim(match.group(1))
        if name and " " in name:
            start = match.start(1)
            found.append(FoundName(start, start + len(name), name, "person"))
    for match in _ORG_RUN.finditer(text):
        run = match.group()
        if " " not in run or not any(_head(word) for word in run.split()):
            continue  # one word, or no head word: no organisation's name
        for part in _named_parts(match):
            # "Iran's Islamic Revolutionary Guard Corps": the owner's name is not part of the body's.
            owner = max((index for index, (_, word) in enumerate(part[:-1]) if _POSSESSIVE.search(word)), default=-1)
            part = part[owner + 1 :]
            while part and part[0][1] in _NOT_NAMES:
                part = part[1:]
            if len(part) < 2:
                continue
            start, words = part[0][0], [word for _, word in part]
            # The head word ends the name ("Westminster City Council"), opens it ("Directorate General of ...")
            # or comes before "of" ("Board of Control").
            kind = (
                _head(words[-1])
                or _HEADS.get(words[0])
                or next((_HEADS[word] for word, after in zip(words, words[1:]) if word in _HEADS and after == "of"), None)
            )
            if kind is None or all(word in _HEADS or word in _CONNECTORS for word in words):
                continue
            name = _trim(" ".join(words))
            found.append(FoundName(start, start + len(name), name, kind))
    for start, end in measure_sentences:
        found += _party_names(text, start, end)
    found.sort(key=lambda item: item.start)
    return found


# A name the gazetteer does not know, where news names a measure's party: after a noun that says what the firm is
# ("potash producer Belaruskali", "the exporter, Hahn Präzisionstechnik", "its parent En+ Group") or in an argument
# of the measure ("sanctions on Belavia", "refused Trumpf permission", "assets held by Litasco", "licences for JSR").
_PARTY_WORD = r"[A-ZÀ-ÖØ-Þ][^\W\d_]*(?:[+&'’\-][^\W\d_]*)*\+?"
_PARTY_NAME = rf"({_PARTY_WORD}(?:\s+(?:&\s+)?{_PARTY_WORD}){{0,3}})(?![\w+])"
_FIRM_NOUN = re.compile(
    r"\b(?:producer|maker|manufacturer|company|firm|exporter|importer|supplier|trader|trading house|airline|carrier|"
    r"operator|manager|lender|bank|insurer|refiner|shipper|subsidiary|unit|arm|parent|utility|conglomerate|chipmaker|"
    rf"start-?up|developer|miner|distributor|shipowner|broker)(?:,\s+|\s+){_PARTY_NAME}",
)
_MEASURE_ARGUMENT = re.compile(
    r"\b(?:(?:sanctions|restrictions|curbs|controls|embargo|measures|countermeasures)\s+(?:on|against)|(?:designated|designating|"
    r"blacklisted|blacklisting|sanctioned|sanctioning|delisted|delisting|refused|denied|fined|removed)|"
    r"(?:assets|property|accounts|funds)\s+(?:held\s+by|of|belonging\s+to)|linked\s+to|licen[cs]es?\s+(?:for|to))"
    rf"\s+{_PARTY_NAME}",
)


_ADJECTIVE = re.compile(r"[-‐][a-z]+$")
_TITLE_NEXT = re.compile(r"\s+(?:" + "|".join(re.escape(title) for title in _TITLES) + r")\b")


def _party_names(text: str, start: int, end: int) -> list[FoundName]:
    found = []
    for pattern, kind in ((_FIRM_NOUN, "company"), (_MEASURE_ARGUMENT, "organization")):
        for match in pattern.finditer(text, start, end):
            name = _trim(match.group(1))
            # "the assets of Chelsea owner Roman Abramovich": a name before a title qualifies the person after it.
            if _TITLE_NEXT.match(text, match.start(1) + len(name)):
                continue
            # not "Rs" or "PC", nor an adjective made of a name ("Dubai-based subsidiaries", "Kremlin-linked firms")
            if len(name) > 2 and name.split()[0] not in _NOT_NAMES and not _ADJECTIVE.search(name):
                found.append(FoundName(match.start(1), match.start(1) + len(name), name, kind))
    return found


def _named_parts(match: re.Match[str]) -> list[list[tuple[int, str]]]:
    """The run's names as (offset, word) lists: two complete names joined by "and" ("Oceanlink Maritime and Jade
    Harbour Shipping", "Commercial Bank of Syria and Syrian Arab Airlines": each of two words or more, with its head
    word last or before "of") are two; any other run ("Bureau of Industry and Security") is one."""
    tokens = [(match.start() + token.start(), token.group()) for token in re.finditer(r"\S+", match.group())]
    while tokens and (tokens[-1][1] in _NOT_NAMES or tokens[-1][1] in _CONNECTORS):
        tokens.pop()  # "... Shipping on Monday"
    parts: list[list[tuple[int, str]]] = [[]]
    for token in tokens:
        if token[1] == "and":
            parts.append([])
        else:
            parts[-1].append(token)
    if not (len(parts) > 1 and all(len(part) >= 2 and _headed(part) for part in parts)):
        parts = [tokens]
    return [part for part in parts if part]


_CONNECTORS = {"of", "and", "for", "on", "the", "de", "du", "&"}


def _headed(part: list[tuple[int, str]]) -> bool:
    """Whether a name ends in its head word ("Jade Harbour Shipping") or has it before "of" ("Commercial Bank of Syria")."""
    words = [word for _, word in part]
    return _head(words[-1]) is not None or any(_head(word) and after == "of" for word, after in zip(words, words[1:]))


def _head(word: str) -> EntityType | None:
    return _HEADS.get(_POSSESSIVE.sub("", word))


_POSSESSIVE = re.compile(r"['’]s?$")


def _trim(name: str) -> str:
    words = name.split()
    while words and words[-1] in _NOT_NAMES:
        words.pop()
    return _POSSESSIVE.sub("", " ".join(words))

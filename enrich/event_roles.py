"""Who acts and on whom, for one measure phrase in its sentence, read from the sentence's word order. (About 400
lines: the role rules read one sentence together and are kept in one place to be read together; what a party's own
context says of it, a place, an exception, a blocker, is in enrich.party_context.)

- the actor is the nearest government body or organisation named before the measure (the first of
  bodies named together, 商务部、海关总署; an official only failing those, a country failing both; never
  a company: the measures are governments'), unless the measure is followed by its agent
  ("sanctioned by the Treasury", "a licence from China"): then the agent acts and the party named
  before the measure is the target; in Chinese, a body inside the measure's words that issues it
  (获得美国商务部颁发的许可) acts;
- the target is the first country, company, organisation or person after the measure that is not the
  actor's own (in Chinese, after the object marker 对/向/将/把, and for 对其 "on it", the party named
  before); for a licence, the firm that holds or needs it;
- parties in why the measure is taken ("for handling Iranian petrochemicals", 理由是) or in a clause of their own
  after it are not its targets; a place something happens in ("met in Luxembourg", 在日内瓦) is neither, but where
  parties are ("refiners in India") names one of them.
"""

from __future__ import annotations

import re

from tradewire.enrich.gazetteer import Alias, KnownEntity
from tradewire.enrich.names import TITLES
from tradewire.enrich.party_context import where_parties_are
from tradewire.enrich.payloads import BODY_TYPES, MeasureRef
from tradewire.enrich.phrases import Hit
from tradewire.enrich.text import Sentence

# Who acts: a government body or organisation before the measure; an official failing those; a country failing both.
_ACTOR_PREFERENCE = (BODY_TYPES, {"person"}, {"country"})
_TARGET_TYPES = {"country", "company", "organization", "person"}
_OBJECT_MARKERS = "对向将把"
_MARKER_REACH = 5  # characters from the marker to the target's name (将17家美国实体)
_PRONOUN = "其"
_AGENT = re.compile(r"\s*(?:[\w'-]+\s+){0,3}?(?:by|from)\s+(?:the\s+)?$", re.IGNORECASE)


def _object_marker(
    text: str, sentence: Sentence, measure: Hit[MeasureRef], aliases: list[Hit[Alias]]
) -> Hit[MeasureRef] | None:
    """In Chinese the measure's target comes before it, after 对/向/将/把 (中方决定将17家美国实体列入…清单, 美方未对
    中国企业实施制裁): the marker then stands where the measure would in English word order, so the actor is named
    before it and the target after it."""
    for position in range(measure.start - 1, sentence.start - 1, -1):
        if text[position] not in _OBJECT_MARKERS:
            continue
        if text.startswith(_PRONOUN, position + 1):
            return Hit(position, position, measure.payload)  # 对其: the target is named before
        # (an alias may hold the marker itself: 对美, 对华)
        if any(position <= hit.start <= position + _MARKER_REACH and hit.end <= measure.start for hit in aliases):
            return Hit(position, position, measure.payload)
    return None


_JOINED_BODIES = re.compile(r"^\s*(?:,|and|&|、|和|与|及|会同)\s*(?:the\s+)?$", re.IGNORECASE)
# (in Chinese, a few words may qualify the first party before the conjunction: 洛克希德·马丁公司3家子公司及通用动力公司)
_COORDINATION = re.compile(
    r"^(?:\s*,)?\s*(?:,|and|or|as well as|、|和|及|与|以及)\s+(?:(?:its|the|their|a|an)\s+)?(?:[\w+'’-]+\s+){0,3}$"
    r"|^[\d\u4e00-\u9fff]{0,8}?(?:[、和及与]|以及)$|^[、和及与]$"
    # (a relative clause may stand between them: "PVH Group, which licenses the Calvin Klein name, and Illumina")
    r"|^\s*,\s*(?:which|who)\b[^;:]{0,120}?,\s*(?:and|or)\s+(?:(?:its|the|their|a|an)\s+)?(?:[\w+'’-]+\s+){0,3}$",
    re.IGNORECASE,
)


def coordinated(
    text: str, target: KnownEntity | None, parties: list[Hit[Alias]], actor: KnownEntity | None,
) -> list[KnownEntity]:
    """Further targets joined to the first ("designated Rosneft and Lukoil", "Rusal, its parent En+ Group and the
    power company EuroSibEnergo"): each is a party to the measure."""
    if target is None:
        return []
    # (firms are joined to firms, countries to countries: "Rosneft, which supplies India's refiners, and Lukoil")
    alike = [hit for hit in parties if (hit.payload.entity.type == "country") == (target.type == "country")]
    first = next((index for index, hit in enumerate(alike) if hit.payload.entity.id == target.id), None)
    if first is None:
        return []
    joined: list[KnownEntity] = []
    previous = alike[first]
    for hit in alike[first + 1 :]:
        entity = hit.payload.entity
        if (
            not _COORDINATION.match(text[previous.end : hit.start])
            or (actor is not None and entity.id == actor.id)
            or entity.id in {target.id, *(party.id for party in joined)}
        ):
            break
        joined.append(entity)
        previous = hit
    return joined


def first_named_together(text: str, hits: list[Hit[Alias]], index: int) -> Hit[Alias]:
    """The first of the parties named together with hits[index] ("Rosneft and Lukoil", "Huawei, ZTE and SMIC"),
    counting a name and its short form beside it as one ("Semiconductor Manufacturing International Corp (SMIC)")."""
    while index and (
        _COORDINATION.match(text[hits[index - 1].end : hits[index].start])
        or hits[index - 1].payload.entity.id == hits[index].payload.entity.id
    ):
        index -= 1
    return hits[index]


def roles(
    text: str, sentence: Sentence, measure: Hit[MeasureRef], parties: list[Hit[Alias]], last_actor: KnownEntity | None,
    targeted: frozenset[str] = frozenset(),
) -> tuple[KnownEntity | None, KnownEntity | None]:
    """Who acts and on whom, for one measure in its sentence (see the module's docstring). A sentence that names no
    actor continues the last one's, whose own country is then no target ("... held by U.S. persons are blocked").
    A party an earlier measure of the sentence reached (`targeted`) does not act in a later one: "Britain froze the
    assets of Roman Abramovich and banned them from entering" is Britain's ban."""
    actors = [hit for hit in parties if hit.payload.entity.id not in targeted] if targeted else parties
    domestic = measure.payload.domestic_targets
    issuer = _issuer_within(text, measure, parties)
    if issuer is not None:
        return issuer, _target_before(text, measure, parties, issuer)
    within = _object_within(text, measure, parties)
    if within is not None:
        actor = _actor(measure, actors, text) or last_actor
        if actor is None or eligible_target(within, actor, measure.payload):
            return actor, within
    marker = _object_marker(text, sentence, measure, parties)
    anchor = measure if marker is None else marker
    agent = _agent(text, anchor, parties)
    if agent is not None:
        actor = agent.payload.entity
        if domestic:
            named, holder = _licence_holder(text, anchor, [hit for hit in parties if hit is not agent], actor)
            if named:
                return actor, holder
        # "announced by the United States and the Netherlands": both act, neither is the target.
        agents = {agent.payload.entity.id, *(entity.id for entity in coordinated(text, actor, parties, None))}
        others = [hit for hit in parties if hit is agent or hit.payload.entity.id not in agents]
        return actor, _target_before(text, anchor, others, actor) or _target(text, anchor, others, actor, skip=agent)
    if marker is not None and text.startswith(_PRONOUN, marker.start + 1):
        actor = _actor(marker, parties, text)
        return actor, _target_before(text, marker, parties, actor)
    listed = _listed_before(text, sentence, anchor, parties)
    if listed is not None:
        # "added 140 entities under the destination of China to the Entity List": the party before "to the" is listed
        actor = _actor(Hit(listed.start, listed.start, anchor.payload), parties, text)
        if eligible_target(listed.payload.entity, actor, measure.payload):
            return actor, listed.payload.entity
    actor = _actor(anchor, actors, text) or _speaking_body(anchor, parties) or last_actor
    if domestic:
        named, holder = _licence_holder(text, anchor, parties, actor)
        if named:
            return actor, holder
    return actor, _target(text, anchor, parties, actor)


_ISSUED = re.compile(r"(?:政府|当局)?(?:颁发|发放|签发|批准|授予)")


def _issuer_within(text: str, measure: Hit[MeasureRef], parties: list[Hit[Alias]]) -> KnownEntity | None:
    """The body or country a licence names inside the measure's words as the one that issues it: 获得美国商务部颁发的许可
    ("obtained a licence issued by the Commerce Department"), "will need Dutch export licences", "received U.S.
    government licences"; the holder is then named before."""
    for hit in parties:
        if measure.start < hit.start and hit.end < measure.end and (
            _ISSUED.match(text, hit.end)
            or (measure.payload.domestic_targets and hit.payload.entity.type in _ISSUERS and _LICENCE_NEXT.match(text, hit.end))
        ):
            return hit.payload.entity
    return None


_ISSUERS = {"country", "agency", "ministry"}
_LICENCE_NEXT = re.compile(r"\s+(?:government\s+|export\s+|individual\s+)*(?:licen[cs]es?|permits?|authori[sz]ations?)\b", re.IGNORECASE)


def _object_within(text: str, measure: Hit[MeasureRef], parties: list[Hit[Alias]]) -> KnownEntity | None:
    """The party a Chinese measure names inside its own words after 向/对: 禁止向美国出口 ("bans exports to the United
    States")."""
    for hit in parties:
        if (
            measure.start < hit.start and hit.end <= measure.end and text[hit.start - 1] in _INNER_MARKERS
            and not (measure.payload.domestic_targets and _supplied(text, hit))
        ):
            return hit.payload.entity
    return None


_INNER_MARKERS = "向对"


def _licence_holder(
    text: str, measure: Hit[MeasureRef], parties: list[Hit[Alias]], actor: KnownEntity | None,
) -> tuple[bool, KnownEntity | None]:
    """For a licence, whether the sentence names a firm that holds or needs it, and that firm: the nearest one
    named, before a destination country ("ASML needs a licence to ship the scanners to China" is ASML's licence).
    When the nearest firms are another's suppliers or customers ("suppliers of General Motors received licences",
    "Huawei's suppliers"), the holders are named but not known: none."""
    firms = [
        hit for hit in parties
        if hit.payload.entity.type in ("company", "organization") and eligible_target(hit.payload.entity, actor, measure.payload)
    ]
    # A firm in a later clause is no holder ("Exporters must obtain a licence ..., and Samsung is expected to ...").
    firms = [hit for hit in firms if hit.start < measure.end or not _NEXT_CLAUSE.search(text, measure.end, hit.start)]
    if not firms:
        return False, None
    firms = [hit for hit in firms if not _supplied(text, hit)] or firms
    nearest = min(firms, key=lambda hit: hit.start - measure.end if hit.start >= measure.end else measure.start - hit.end)
    # "told Tokyo Electron and Screen Holdings that ... need licences": the first of firms named together, the
    # others joined to it as further holders.
    first = first_named_together(text, firms, firms.index(nearest))
    if _RELATED_FIRMS.search(text, max(0, first.start - 30), first.start) or _FIRMS_RELATED.match(text, first.end):
        return True, None
    return True, first.payload.entity


_SUPPLIED_EN = re.compile(
    r"\b(?:sell|sells|selling|sold|sales|ship|ships|shipping|shipped|shipments?|suppl(?:y|ies|ied|ying)|exports?|"
    r"exporting|exported|deliver(?:s|ed|ing|ies)?)\b(?:\s+[^\s,;]+){0,6}?\s+(?:to|for)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_SUPPLIED_ZH = re.compile(r"供应|供货|出口|销售|运送|发运|提供|出售")


def _supplied(text: str, hit: Hit[Alias]) -> bool:
    """Whether the firm is where the licensed goods go, not who holds the licence: "licences that let it sell chips to
    Huawei", 向华为供应芯片的许可证."""
    if text[hit.start - 1 : hit.start] == "向":
        return _SUPPLIED_ZH.match(text, hit.end) is not None
    return _SUPPLIED_EN.search(text, max(0, hit.start - 80), hit.start) is not None


_NEXT_CLAUSE = re.compile(r"[,，]\s*(?:and|but|while|whereas)\b|[;；。]|[，,]\s*(?:而|但|并)")
_CLAUSE_COMMA = re.compile(r"[,，;；]")
# Another firm's suppliers or customers: "suppliers of General Motors", "Huawei's suppliers".
_RELATION = r"(?:suppliers?|customers?|clients?|subsidiar(?:y|ies)|units?|affiliates?|partners?)"
_RELATED_FIRMS = re.compile(rf"\b{_RELATION}\s+(?:of|to)\s+(?:the\s+)?$", re.IGNORECASE)
_FIRMS_RELATED = re.compile(rf"['’]s?\s+(?:[\w-]+\s+)?{_RELATION}\b", re.IGNORECASE)


def _speaking_body(measure: Hit[MeasureRef], parties: list[Hit[Alias]]) -> KnownEntity | None:
    """A government body named after the measure when none is named before it: the one the sentence quotes
    ("a licence is needed ..., the Bureau of Industry and Security said")."""
    return next((hit.payload.entity for hit in parties if hit.start >= measure.end and hit.payload.entity.type in ("agency", "ministry")), None)


_LISTED_INTO = re.compile(r"\b(?:to|on|onto|off|from)\s+(?:the\s+|its\s+|their\s+)?(?:[\w'’.-]+\s+){0,2}$", re.IGNORECASE)
_LISTING_VERB = re.compile(
    r"\b(?:add|adds|added|adding|place[sd]?|placing|put|puts|putting|include[sd]?|including|move[sd]?|moving|"
    r"take|takes|taken|took|taking|remove[sd]?|removing|strike|struck|drop|dropped|delete[sd]?)\b",
    re.IGNORECASE,
)


def _listed_before(
    text: str, sentence: Sentence, measure: Hit[MeasureRef], parties: list[Hit[Alias]],
) -> Hit[Alias] | None:
    """The party a listing verb puts on the measure's list or takes off it: "added Huawei to the Entity List",
    "has taken drone maker Skydio off its unreliable entity list"."""
    into = _LISTED_INTO.search(text, max(sentence.start, measure.start - 30), measure.start)
    if into is None:
        return None
    # (a party after "to the" names whose list it is: "adds ... to the UK Strategic Export Control Lists")
    before = [hit for hit in parties if hit.end <= into.start()]
    if not before or measure.start - before[-1].end > 80:
        return None
    # (of parties named together, the first: "removed 24 entities, among them the Commercial Bank of Syria and
    # Syrian Arab Airlines, from the asset-freeze list")
    first = first_named_together(text, before, len(before) - 1)
    if not _LISTING_VERB.search(text, max(sentence.start, first.start - 60), first.start):
        return None
    return first


def _agent(text: str, measure: Hit[MeasureRef], parties: list[Hit[Alias]]) -> Hit[Alias] | None:
    """The party a passive measure names as its agent: "sanctioned by the Treasury", "licences from the Dutch government".
    A company after "by" holds what the measure reaches ("assets held by Litasco"): it is no agent, nor is a party only
    a pattern found (the authorities that act are in the gazetteer, as in `_actor`)."""
    for hit in parties:
        if hit.start >= measure.end and hit.start - measure.end <= 40:
            entity = hit.payload.entity
            if _AGENT.search(text[measure.end : hit.start]) and entity.type != "company" and not entity.found:
                return hit
            return None
    return None


def _actor(measure: Hit[MeasureRef], aliases: list[Hit[Alias]], text: str) -> KnownEntity | None:
    """The nearest body or official before the measure (the first of bodies named together); failing those, the
    first country of the measure's clause ("just as China releases its sincerity, the United States has introduced
    sanctions" is the United States' act), else of the sentence (its subject: "Britain ... with close ties to the
    Kremlin, and banned them" is Britain's act)."""
    # A party found by pattern only (a militia, "officers of Iran's Ministry of Intelligence", a firm) is named as a
    # target, not as an authority: the authorities that act are in the gazetteer.
    # Nor does a country named as where parties are ("battery makers in South Korea and Japan").
    before = [
        hit for hit in aliases
        if hit.end <= measure.start and not hit.payload.entity.found
        and not _dealt_with(text, hit, measure) and not where_parties_are(text, hit)
    ]
    for kinds in _ACTOR_PREFERENCE:
        chosen = [hit for hit in before if hit.payload.entity.type in kinds]
        if not chosen:
            continue
        if "country" in kinds:
            in_clause = [hit for hit in chosen if not _CLAUSE_COMMA.search(text, hit.end, measure.start)]
            return (in_clause or chosen)[0].payload.entity
        index = len(chosen) - 1
        while index and _JOINED_BODIES.match(text[chosen[index - 1].end : chosen[index].start]):
            index -= 1
        # "The European Commission proposed adding ... to the EU dual-use list": the part acts for the whole.
        return part_named_beside(chosen[index].payload.entity, [hit.payload.entity for hit in chosen])
    return None


def _dealt_with(text: str, hit: Hit[Alias], measure: Hit[MeasureRef]) -> bool:
    """Whether the party is one dealt with ("transactions with the Bank of Russia", 禁止与俄罗斯央行进行任何交易) or where goods
    go ("exporters to South Korea no longer need licences"), which does not act; unless it qualifies the measure's
    words right after it ("to the UK Strategic Export Control Lists" are the United Kingdom's)."""
    return _COUNTERPART.search(text, max(0, hit.start - 8), hit.start) is not None and not _QUALIFIES.match(
        text[hit.end : measure.start]
    )


_QUALIFIES = re.compile(r"^\s*(?:[A-Z][\w'’-]*\s+){0,2}$")
# ("according to the Treasury" names a speaker)
_COUNTERPART = re.compile(r"(?:\bwith\s+(?:the\s+)?|(?<!according )\bto\s+(?:the\s+)?|[与同跟])$", re.IGNORECASE)


def eligible_target(entity: KnownEntity, actor: KnownEntity | None, kind: MeasureRef) -> bool:
    """Whether the entity can be the target of a measure of this kind taken by the actor."""
    if entity.type not in _TARGET_TYPES or (actor and (entity.id == actor.id or one_body(entity, actor))):
        return False
    if entity.type == "person" and not kind.person_targets:
        return False  # an export control reaches goods and firms, not people ("the Biden-era rule")
    if actor and entity.id == actor.country:
        return False  # a government's measure is not on its own country; on its own firms only for domestic targets
    return kind.domestic_targets or not (actor and actor.country and entity.country == actor.country)


def part_named_beside(body: KnownEntity, named: list[KnownEntity]) -> KnownEntity:
    """The first of `named` that is part of `body`, or `body` itself (BIS for "BIS, Department of Commerce")."""
    return next((entity for entity in named if body.id in entity.within), body)


def one_body(first: KnownEntity, second: KnownEntity) -> bool:
    """Whether one is part of the other (the European Commission and the European Union)."""
    return first.id in second.within or second.id in first.within


def _target(
    text: str,
    measure: Hit[MeasureRef], aliases: list[Hit[Alias]], actor: KnownEntity | None,
    *, skip: Hit[Alias] | None = None,
) -> KnownEntity | None:
    # (not in a clause saying where something is: "announced by the Netherlands, where ASML is based")
    # (nor in why the parties are targeted, unless the measure is a licence, whose destination is named after "for")
    reasons = not measure.payload.domestic_targets
    after = [
        hit for hit in aliases
        if hit.start >= measure.end and hit is not skip and not _WHERE_CLAUSE.search(text, measure.end, hit.start)
        and not (reasons and _REASON.search(text, measure.end, hit.start))
        and not _LATER_CLAUSE.search(text, measure.end, hit.start)
    ]
    candidates = after or [hit for hit in aliases if hit.end <= measure.start]
    for index, hit in enumerate(candidates):
        if not eligible_target(hit.payload.entity, actor, measure.payload) or _ORIGIN_NEXT.match(text, hit.end):
            continue
        following = candidates[index + 1] if index + 1 < len(candidates) else None
        if (
            hit.payload.entity.type == "country" and following is not None and following.start - hit.end <= 30
            and not _LIST_BREAK.search(text, hit.end, following.start)
            and following.payload.entity.type in ("company", "organization", "person")
            and eligible_target(following.payload.entity, actor, measure.payload)
        ):
            return following.payload.entity  # "U.S. drone maker Skydio", 美国雷神公司: the country qualifies the firm
        if (
            following is not None and following.payload.entity.type == "person"
            and _TITLE_BETWEEN.fullmatch(text, hit.end, following.start)
            and eligible_target(following.payload.entity, actor, measure.payload)
        ):
            return following.payload.entity  # "Rapid Support Forces commander Mohamed Hamdan Dagalo": the body qualifies the person
        return hit.payload.entity
    return None


_WHERE_CLAUSE = re.compile(r",\s*where\b")
# A clause of its own after the measure's names others ("..., as Washington presses Southeast Asian countries").
_LATER_CLAUSE = re.compile(r"[,;]\s*(?:as(?!\s+well\b)|while|whereas|when|amid|even\s+as|despite|because|since)\s", re.IGNORECASE)
# A country that says where goods or rules come from is not what a measure reaches: "the direct product of U.S.
# technology", "U.S.-origin content", "pressure to match U.S. rules", 美国技术.
_ORIGIN_NEXT = re.compile(
    r"(?:[\s-]+(?:origin|technology|technologies|content|software|design|rules|regulations|law|laws|inputs|jurisdiction)\b"
    r"|(?:技术|原产|规则|法律|软件|成分))",
    re.IGNORECASE,
)
_TITLE_BETWEEN = re.compile(r"(?:['’]s)?\s+(?:" + "|".join(re.escape(title) for title in TITLES) + r")\s+")
_LIST_BREAK = re.compile(r"[,，;；、]|\b(?:and|or)\b|[和及或]")


def _target_before(
    text: str, measure: Hit[MeasureRef], aliases: list[Hit[Alias]], actor: KnownEntity | None,
) -> KnownEntity | None:
    """The party named last before the measure, a company or organisation before a country: the subject of a
    passive ("Huawei was added to the Entity List by ...") or what 其 refers to (对雷神公司…对其采取反制措施); of
    parties named together ("Rosneft and Lukoil were designated"), the first, the others joined to it. A party
    in what the subject is accused of is none ("a ship manager accused of running a shadow fleet for Russian oil
    exports was sanctioned")."""
    before = [
        hit for hit in aliases
        if hit.end <= measure.start and eligible_target(hit.payload.entity, actor, measure.payload)
        and not _REASON.search(text, max(0, hit.start - 60), hit.start)
    ]
    chosen = [hit for hit in before if hit.payload.entity.type != "country"] or before
    if not chosen:
        return None
    return first_named_together(text, chosen, len(chosen) - 1).payload.entity


# Why a party is targeted, which names others: "for handling Iranian petrochemicals", "accused of helping Moscow",
# 理由是其采购了伊朗原油, 以支持军事现代化为由.
_REASON = re.compile(
    r"\b(?:[Aa]ccused of|[Ss]uspected of|alleged(?:ly)? to|in connection with|because of"
    r"|for (?:allegedly |its |their |his |her )?(?:roles?|involvement|part|support|ties|links|dealings|[a-z]+ing)\b"
    r"|over (?:its|their|his|her) (?:alleged )?(?:roles?|involvement|part|support|ties|links)\b)"
    r"|理由是|原因是|涉嫌|以[^，。；]{1,30}为由"
)

"""Whether a trigger phrase states a measure taken, lifted, reported, hypothetical or negated.

Cues (from the taxonomy's `modality:` lists) count when they sit in the trigger's clause: a negation,
hypothetical or lifting cue within its configured reach before or after the trigger, an attribution cue
("according to people familiar", "reportedly") anywhere in the clause. A negation nearer than any
hypothetical cue makes it negated; else an attribution makes it reported; else a hypothetical cue; else a
lifting cue ("lifted sanctions", "removed from the Entity List") makes it lifted; else it is asserted.

A report the clause denies ("denied a newspaper report that it was preparing to add ...") is negated
whatever else the clause says.

A statement of the act ("imposed", "added", 实施, and the liftings) decides against cues that cannot reach the trigger
through it: "after months of threats, the Treasury imposed sanctions" is asserted (the threat is
before the verb that states the act), and so is "has imposed sanctions and should withdraw them"
(the hypothetical cue after the trigger speaks of another act). A statement governed by a cue of its
own ("has not imposed", "could be added", 不会…加征) states nothing.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from tradewire.core.enrichment import Modality
from tradewire.enrich.payloads import ClauseBreak, Cue, NotCue
from tradewire.enrich.phrases import Hit
from tradewire.enrich.taxonomy import CueWindow
from tradewire.enrich.text import WordGaps, is_cjk

CueHit = Hit[Cue | ClauseBreak | NotCue]
_STATED_BEFORE_REACH = 6  # words between a statement of the act and its object ("added 140 entities to its Entity List")
_ENDED = Cue("negated")
_CONDITIONS = {"if", "unless", "如果", "若", "倘若", "如"}
_EASED = Cue("lifted")
# ("the tariffs would have hit U.S. aircraft": what a measure named before would have done is a hypothesis)
_WOULD = Cue("hypothetical")
# (the text's gaps, a clause's cues, their statements and those statements' spans) of the last call of classify
_last_statements: tuple[WordGaps | None, list[Hit[Cue]], list[Hit[Cue]], set[tuple[int, int]]] = (None, [], [], set())


def classify(
    trigger: Hit[object], cues: list[CueHit], gaps: WordGaps, windows: dict[str, CueWindow],
    *, when_ended: Modality = "lifted",
) -> Modality:
    """The trigger's modality from the sentence's cues and clause breaks (see `without_false_cues`)."""
    if not cues:
        return "asserted"
    clause_start, clause_end = _clause_around(trigger, cues)
    counterfactual = next((
        hit for hit in reversed(cues)
        if type(hit.payload) is Cue and hit.payload.modality == "counterfactual" and clause_start <= hit.start
        and hit.end <= trigger.start and gaps.between(hit.end, trigger.start) <= windows["hypothetical"].before
    ), None)
    if counterfactual is not None:
        return _described_measure(counterfactual, cues, gaps, when_ended)
    in_clause = [
        Hit(hit.start, hit.end, _EASED) if hit.payload.modality == "eased"
        else Hit(hit.start, hit.end, _WOULD) if hit.payload.modality == "counterfactual" else hit for hit in cues
        if type(hit.payload) is Cue and clause_start <= hit.start and hit.end <= clause_end and not (hit.start < trigger.end and trigger.start < hit.end)
        and hit.payload.modality != "background" and (when_ended != "asserted" or hit.payload.modality != "lifted")
        and (when_ended == "lifted" or hit.payload.modality != "eased")
    ]
    if not in_clause:
        return "asserted"  # (what the rest finds for a clause without cues, computed at once: most clauses have none)
    if when_ended == "negated":  # "talks were called off": an ending negates
        in_clause = [Hit(hit.start, hit.end, _ENDED) if hit.payload.modality == "lifted" else hit for hit in in_clause]
    if any(hit.payload.modality == "refuted" for hit in in_clause):
        return "negated"
    global _last_statements
    last = _last_statements  # the triggers of one clause have the same cues in it: their statements are found once
    if last[0] is gaps and last[1] == in_clause:
        statements, stated = last[2], last[3]
    else:
        statements = _statements(in_clause, gaps)
        stated = {(statement.start, statement.end) for statement in statements}
        _last_statements = (gaps, in_clause, statements, stated)
    # The latest stated act (in a language with tenses) between a cue and the trigger, and whether the trigger is
    # the object of a stated act: looked up once per trigger, not once per cue.
    last_stated_before = max(
        (s.start for s in statements if s.end <= trigger.start and not is_cjk(gaps.text[s.start])), default=-1
    ) if statements else -1
    object_of_statement = bool(statements) and any(
        s.end <= trigger.start and gaps.between(s.end, trigger.start) <= _STATED_BEFORE_REACH
        and not gaps.text.startswith("的", s.end)  # 实施的出口管制将于月底到期: a modifier, not the sentence's act
        for s in statements
    )
    nearest: dict[str, int] = {}
    reported = False
    for hit in in_clause:
        modality = hit.payload.modality
        if modality == "reported":
            reported = True
            continue
        if modality == "asserted":
            continue
        if modality == "lifted" and (hit.start, hit.end) not in stated:
            continue  # a lifting governed by a hedge of its own ("could lift", "did not remove") lifts nothing
        if hit.end <= trigger.start:
            if hit.end <= last_stated_before:
                continue  # a stated act lies between the cue and the trigger (Chinese verbs carry no tense: 将加征)
            distance = gaps.between(hit.end, trigger.start)
            reach = windows[modality].before
            if is_cjk(gaps.text[hit.start]) and not gaps.comma_between(hit.end, trigger.start):
                distance = 0  # a Chinese cue scopes over its comma clause (不会对原产于加拿大的油菜籽额外加征关税)
            elif gaps.text[hit.start : hit.end].lower() in _CONDITIONS and gaps.comma_between(hit.end, trigger.start):
                distance = 0  # a condition put first holds the whole main clause ("If the U.S. side insists ..., China will ...")
        else:
            if object_of_statement:
                continue  # the trigger is the object of a stated act
            if is_cjk(gaps.text[hit.start]) and gaps.comma_between(trigger.end, hit.start):
                continue  # a Chinese cue scopes over its own comma clause, not back over the one before
            distance = gaps.between(trigger.end, hit.start)
            reach = windows[modality].after
        if distance <= reach:
            nearest[modality] = min(distance, nearest.get(modality, distance))
    if "negated" in nearest and nearest["negated"] <= nearest.get("hypothetical", 1 << 30):
        return "negated"
    if reported:
        return "reported"
    if "hypothetical" in nearest:
        return "hypothetical"
    if "negated" in nearest:
        return "negated"
    return "lifted" if "lifted" in nearest else "asserted"


def _described_measure(counterfactual: CueHit, cues: list[CueHit], gaps: WordGaps, when_ended: Modality) -> Modality:
    """What "would have" describes is the measure the sentence named before it: lifted when a lifting is stated
    before ("rescinded the rule, which would have required licences"), negated after a negation ("did not adopt the
    rule that would have ..."), else what did not happen: hypothetical."""
    before = [hit for hit in cues if type(hit.payload) is Cue and hit.end <= counterfactual.start]
    stated = {(hit.start, hit.end) for hit in _statements(before, gaps)}
    for hit in reversed(before):
        if hit.payload.modality == "lifted" and (hit.start, hit.end) in stated:
            return when_ended
        if hit.payload.modality == "negated":
            return "negated"
    return "hypothetical"


def without_false_cues(cues: list[CueHit]) -> list[CueHit]:
    """A sentence's cues and clause breaks, less the words that only contain a cue or a break (若 in 若干 "several",
    未 in 未来 "future", "must" in "must obtain", "but" in "no choice but to") and what they hold, and less a cue inside a longer cue of another
    modality ("no" in "no longer", "not" in "would not rule out"). Done once per sentence, before `classify`."""
    if len(cues) == 1 and type(cues[0].payload) is not NotCue:
        return cues  # (what the rest finds for one cue, at once: a sentence often has only one)
    false = [hit for hit in cues if type(hit.payload) is NotCue]
    cue_hits = sorted((hit for hit in cues if type(hit.payload) is Cue), key=lambda hit: hit.start)
    if not false and all(first.end <= second.start for first, second in zip(cue_hits, cue_hits[1:])):
        return cues  # nothing to drop: no false cue, and no cue overlaps another
    starts = [hit.start for hit in cue_hits]
    longest = max((hit.end - hit.start for hit in cue_hits), default=0)

    def inside_another(hit: CueHit) -> bool:
        # (only cues starting less than the longest cue's length before this one can hold it)
        return any(
            other.start <= hit.start and hit.end <= other.end and other.end - other.start > hit.end - hit.start
            and other.payload.modality != hit.payload.modality  # type: ignore[union-attr]
            for other in cue_hits[bisect_left(starts, hit.start - longest) : bisect_right(starts, hit.start)]
        )

    return [
        hit for hit in cues
        if type(hit.payload) is not NotCue
        and not any(f.start <= hit.start and hit.end <= f.end for f in false)
        and (type(hit.payload) is ClauseBreak or not inside_another(hit))
    ]


def _statements(in_clause: list[Hit[Cue]], gaps: WordGaps) -> list[Hit[Cue]]:
    """The clause's statements of the act that no hedge governs.

    A negation or hypothetical cue governs a statement after it when no comma lies between them and it is next to
    it in English ("has not imposed", "could be added") or anywhere before it in Chinese (不会对英国威士忌加征). The
    hedges that may govern a statement are those ending after the last comma before it: found by bisection, so a
    long clause costs its number of cues, not their square."""
    hedges = sorted((hit for hit in in_clause if hit.payload.modality in ("negated", "hypothetical")), key=lambda hit: hit.end)
    if not hedges:
        return [hit for hit in in_clause if hit.payload.modality in ("asserted", "lifted")]
    ends = [hedge.end for hedge in hedges]
    chinese_up_to = [0]  # chinese_up_to[i]: how many of hedges[:i] are Chinese
    for hedge in hedges:
        chinese_up_to.append(chinese_up_to[-1] + is_cjk(gaps.text[hedge.start]))
    statements = []
    for hit in in_clause:
        if hit.payload.modality not in ("asserted", "lifted"):
            continue
        last = bisect_right(ends, hit.start)
        first = bisect_right(ends, gaps.last_comma_before(hit.start))
        governed = chinese_up_to[last] > chinese_up_to[first] or (
            last > first and gaps.between(hedges[last - 1].end, hit.start) <= 1  # the nearest hedge, not Chinese here
        )
        if not governed:
            statements.append(hit)
    return statements


def _clause_around(trigger: Hit[object], cues: list[CueHit]) -> tuple[int, int]:
    start, end = 0, 1 << 62
    for hit in cues:
        if type(hit.payload) is ClauseBreak:
            if hit.end <= trigger.start:
                start = max(start, hit.end)
            elif hit.start >= trigger.end:
                end = min(end, hit.start)
    return start, end

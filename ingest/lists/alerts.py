"""The alerts a list refresh raises: each designation event that a designation rule of `alerts.yaml` matches
is stored in the alert outbox, for the dispatcher to deliver like any other alert.

A rule with `designations: true` matches an event by its kind (`events`, new listings by default), its
list (`lists`) and the entry's programmes (`programs`); an empty filter matches every value. Its `query`, when
it has one, must match the event's designation document as a search would (`name:rosneft program:RUSSIA*`). With
`watchlist: true` it alerts only on entries that match a party of `config/watchlist.yaml`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from tradewire.ingest import metrics
from tradewire.ingest.lists.watchlist import WatchedHit, WatchedParty, watched_among
from tradewire.ingest.state.lists import DesignationEvent
from tradewire.search.alerts import Outbox, Rule
from tradewire.search.query import matches


@dataclass(frozen=True, slots=True)
class DesignationMatch:
    rule: Rule
    why: str
    watched: WatchedHit | None = None


def designation_rules(rules: list[Rule]) -> list[Rule]:
    return [rule for rule in rules if rule.enabled and rule.designations]


def match_designation(rule: Rule, event: DesignationEvent, watched: WatchedHit | None = None) -> DesignationMatch | None:
    """Whether `rule` alerts on `event` (whose entry matches the watched party `watched`, if any), and why."""
    entry = event.entry
    if rule.watchlist and watched is None:
        return None
    if event.event not in rule.events:
        return None
    if rule.query and not matches(rule.parsed_query(), event.document()):
        return None
    if rule.lists and entry.list_name.lower() not in {name.lower() for name in rule.lists}:
        return None
    reasons = [f"{event.event} on {entry.list_name}"] + ([f"query {rule.query!r} matched"] if rule.query else [])
    if rule.programs:
        wanted = {program.upper() for program in rule.programs}
        programs = [program for program in entry.programs if program.upper() in wanted]
        if not programs:
            return None
        reasons.append(f"programme {', '.join(programs)}")
    if not rule.watchlist:
        return DesignationMatch(rule, "; ".join(reasons))
    assert watched is not None  # a watchlist rule without a watched party returned above
    return DesignationMatch(rule, "; ".join([*reasons, watched.describe()]), watched)


class DesignationRecorder:
    """The refresh listener that stores an alert for every designation rule an event matches."""

    def __init__(
        self, rules: list[Rule], outbox: Outbox, watchlist: list[WatchedParty], wake: Callable[[], None] | None = None,
    ) -> None:
        self.outbox = outbox
        self.wake = wake
        self.use(rules, watchlist)

    def use(self, rules: list[Rule], watchlist: list[WatchedParty]) -> None:
        self.rules = designation_rules(rules)
        self.watchlist = watchlist

    def __call__(self, events: Sequence[DesignationEvent]) -> None:
        watched = (watched_among(self.watchlist, [event.entry for event in events])
                   if any(rule.watchlist for rule in self.rules) else {})
        created = 0
        for event in events:
            for rule in self.rules:
                match = match_designation(rule, event, watched.get(event.entry.key))
                if match is None:
                    continue
                alert = self.outbox.record_designation(
                    rule, event.event, event.entry, match.why, sequence=event.sequence,
                    watched=match.watched.content() if match.watched else None,
                )
                if alert:
                    metrics.ALERTS_CREATED.labels(rule.name).inc()
                    created += 1
        if created and self.wake is not None:
            self.wake()

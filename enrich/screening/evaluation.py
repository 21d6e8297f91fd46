"""Screening measured on labelled name pairs: does `screen(query)` find the listed name, and only when it should?

Each pair's listed name becomes an entry of its own in one index, beside other list entries as
distractors; a pair is predicted a match when the query's matches include that entry. Precision and
recall are counted per split: dev is what the matching is tuned on, test is kept out of tuning.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel

from tradewire.enrich.screening.entries import EntryKind, ListEntry
from tradewire.enrich.screening.index import ScreeningIndex

Split = Literal["dev", "test"]


class LabelledPair(BaseModel):
    query: str
    listed: str
    kind: EntryKind
    match: bool
    split: Split
    note: str = ""


@dataclass(frozen=True)
class PairOutcome:
    pair: LabelledPair
    predicted: bool
    score: float | None
    why: str


@dataclass
class ScreeningReport:
    split: str
    outcomes: list[PairOutcome] = field(default_factory=list)

    def _count(self, predicted: bool, actual: bool) -> int:
        return sum(1 for outcome in self.outcomes if outcome.predicted is predicted and outcome.pair.match is actual)

    @property
    def precision(self) -> float:
        found = self._count(True, True) + self._count(True, False)
        return self._count(True, True) / found if found else 1.0

    @property
    def recall(self) -> float:
        expected = self._count(True, True) + self._count(False, True)
        return self._count(True, True) / expected if expected else 1.0

    @property
    def false_positives(self) -> list[PairOutcome]:
        return [outcome for outcome in self.outcomes if outcome.predicted and not outcome.pair.match]

    @property
    def misses(self) -> list[PairOutcome]:
        return [outcome for outcome in self.outcomes if outcome.pair.match and not outcome.predicted]


def evaluate(pairs: list[LabelledPair], distractors: Iterable[ListEntry] = ()) -> dict[str, ScreeningReport]:
    """One report per split of `pairs`, all screened against one index of their listed names and `distractors`."""
    targets: dict[tuple[str, str], ListEntry] = {}
    for pair in pairs:
        key = (pair.listed, pair.kind)
        if key not in targets:
            targets[key] = ListEntry("labelled-pairs", f"pair-{len(targets)}", pair.kind, (pair.listed,))
    index = ScreeningIndex([*targets.values(), *distractors])
    reports: dict[str, ScreeningReport] = {}
    for pair in pairs:
        target = targets[(pair.listed, pair.kind)]
        found = next((match for match in index.screen(pair.query, limit=100) if match.entry is target), None)
        outcome = PairOutcome(pair, found is not None, found.score if found else None, found.why if found else "")
        reports.setdefault(pair.split, ScreeningReport(pair.split)).outcomes.append(outcome)
    return dict(sorted(reports.items()))

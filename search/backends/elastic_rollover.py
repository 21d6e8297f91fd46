"""The indices behind the Elasticsearch alias once it rolls over: which they are, which one holds an article,
and the `_rollover` itself.

The alias has one write index (`is_write_index`) and, after rollovers, older ones; searches, counts and facets
span them all through the alias. An article written again (re-fetched, re-enriched, deleted) must go to the
index that already holds it, or it would be found twice: before a batch is written, its ids are looked up in
the older indices (an `ids` search; none while there is only the write index), and those found are written
to their own index, the rest through the alias to the write index. Older indices take no new articles, so
the lookup sees them whole once the index that was rolled away from is refreshed, which `roll_over` does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from elasticsearch import Elasticsearch, NotFoundError

# A search returns at most index.max_result_window (10,000 by default) hits.
_MOST_HITS = 10_000


@dataclass(frozen=True, slots=True)
class Backing:
    """The indices behind the alias: the one written to, and the older ones, oldest first."""

    write: str | None
    older: tuple[str, ...] = ()

    @property
    def all(self) -> list[str]:
        return [*self.older, *([self.write] if self.write else [])]


@dataclass(frozen=True, slots=True)
class RolloverReport:
    alias: str
    old: str
    new: str
    rolled_over: bool
    # Each condition asked, as the node names it ("[max_docs: 1]"), and whether it was met.
    conditions: dict[str, bool] = field(default_factory=dict)

    @property
    def due(self) -> bool:
        """A condition is met (what a dry run tells)."""
        return any(self.conditions.values())

    def describe(self) -> str:
        met = [name.strip("[]") for name, is_met in self.conditions.items() if is_met]
        if self.rolled_over:
            why = f" ({', '.join(met)} met)" if met else " (asked without conditions)"
            return f"rolled over {self.alias}: {self.old} -> {self.new}{why}"
        asked = ", ".join(name.strip("[]") for name in self.conditions) or "none set"
        return f"not rolled over: no condition met ({asked}); {self.alias} writes to {self.old}"


def backing(client: Elasticsearch, alias: str) -> Backing:
    """The alias's indices; Backing(None) when it does not exist yet."""
    try:
        found = client.indices.get_alias(name=alias)
    except NotFoundError:
        return Backing(None)
    write = None
    older = []
    for index, entry in found.items():
        settings = entry["aliases"][alias]
        # An alias on one index without the flag (made before rollover existed) writes to that index.
        if settings.get("is_write_index") or (len(found) == 1 and "is_write_index" not in settings):
            write = index
        else:
            older.append(index)
    return Backing(write, tuple(sorted(older, key=_number)))


def holders(client: Elasticsearch, indices: Sequence[str], ids: Sequence[str]) -> dict[str, str]:
    """Which of `indices` holds each of `ids` (those found): a search of the ids (per 10,000), no sources read."""
    placed: dict[str, str] = {}
    if not indices:
        return placed
    for start in range(0, len(ids), _MOST_HITS):
        chunk = list(ids[start:start + _MOST_HITS])
        found = client.search(
            index=",".join(indices), query={"ids": {"values": chunk}}, source=False, size=len(chunk),
            ignore_unavailable=True, track_total_hits=False,
        )
        placed.update((hit["_id"], hit["_index"]) for hit in found["hits"]["hits"])
    return placed


def roll_over(
    client: Elasticsearch, alias: str, conditions: dict[str, Any] | None, *, dry_run: bool = False
) -> RolloverReport:
    """`_rollover` of the alias: when any of `conditions` is met (always, with None), a new write index named as
    the versioned ones are (the number after the last dash plus one) takes the writes."""
    response = client.indices.rollover(alias=alias, conditions=conditions or None, dry_run=dry_run)
    report = RolloverReport(
        alias, response["old_index"], response["new_index"], bool(response["rolled_over"]),
        {name: bool(met) for name, met in response.get("conditions", {}).items()},
    )
    if report.rolled_over:
        client.indices.refresh(index=report.old)
    return report


def _number(index: str) -> int:
    suffix = index.rsplit("-", 1)[-1]
    return int(suffix) if suffix.isdigit() else -1

"""The interface every index backend offers; nothing outside search/ knows which one is active."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from tradewire.core.document import Document

if TYPE_CHECKING:  # annotations only: importing them would cost `show` the query and highlighting machinery
    from tradewire.search.results import SearchRequest, SearchResult


class BackendError(RuntimeError):
    """The index cannot be reached or refused an operation as a whole (not one document)."""


@dataclass(slots=True)
class IndexReport:
    indexed: list[str] = field(default_factory=list)
    # Documents the index refused, with the reason; the caller keeps them for a later attempt.
    failed: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ReindexReport:
    old: str
    new: str
    copied: int
    # Elasticsearch: the indices the alias left (all it had, rolled over or not); unused once the alias swapped.
    old_indices: tuple[str, ...] = ()


class ReindexProgress:
    """Counts the documents a reindex has rebuilt and tells `on_progress` at every thousand."""

    EVERY = 1000

    def __init__(self, on_progress: Callable[[int], None] | None) -> None:
        self.on_progress = on_progress
        self.done = 0

    def step(self) -> None:
        self.done += 1
        if self.on_progress and self.done % self.EVERY == 0:
            self.on_progress(self.done)


class IndexBackend(Protocol):
    name: str

    def ensure_ready(self) -> None:
        """Create the index (schema, template, alias) if it does not exist."""

    def index(self, articles: Sequence[Document], documents: Sequence[str] | None = None) -> IndexReport:
        """Insert or replace documents (articles and designations) by id. `documents`, when given, are their
        `model_dump_json()` in the same order (the spool's text), so a document is serialised once on its way to
        the index."""

    def delete(self, ids: Sequence[str]) -> None: ...

    def refresh(self) -> None:
        """Make every write so far visible to searches."""

    def get(self, article_id: str) -> Document | None: ...

    def search(self, request: SearchRequest) -> SearchResult: ...

    def count(self) -> int: ...

    def health(self) -> str:
        """green, yellow (serving, but a copy of some data is missing: degraded) or red (some data unavailable)."""

    def status(self) -> dict[str, Any]:
        """What an operator wants to see: backend, location, document count, version."""

    def reindex(self, on_progress: Callable[[int], None] | None = None) -> ReindexReport:
        """Rebuild the index from the stored documents (current mapping and analysis); searches keep working."""

    def close(self) -> None: ...

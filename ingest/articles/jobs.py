"""What the pipeline sends an extraction worker (PageJob) and what it gets back (ProcessedPage): light types of their
own, so that the pipeline and the worker pool import no extraction machinery (ingest.articles.process) until the
workers start."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from tradewire.core.article import ListedParty, WatchedMention
from tradewire.core.enrichment import Enrichment


@dataclass(frozen=True, slots=True)
class PageJob:
    url: str
    html: bytes | None
    entry_title: str
    entry_text: str
    entry_published: datetime | None
    entry_author: str | None
    # Why there is no page to extract (fetch failed, robots.txt, ...), when html is None.
    fallback_reason: str | None = None


@dataclass(frozen=True, slots=True)
class ProcessedPage:
    title: str
    author: str | None
    published: datetime | None
    text: str
    declared_canonical: str | None
    extraction: str
    note: str | None
    enrichment: Enrichment
    signature: bytes
    listed: list[ListedParty] = field(default_factory=list)
    watched: list[WatchedMention] = field(default_factory=list)

"""An article's way from feed entry to index, one small stage at a time.

poll(feed): fetch the feed (conditional GET) -> parse -> select unseen entries -> process each entry.
process(entry): fetch the page (robots.txt, address policy) -> extract + enrich in a worker ->
canonical id -> skip when unchanged -> story id -> listeners (alerts) -> spool for the index.
The index writer drains the spool; nothing accepted is lost if the index is unreachable.
The stages stay in one module of about 300 lines so that an article's way reads top to bottom in one place.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

import httpx

from tradewire.core.article import Article, article_id, content_hash
from tradewire.core.clock import now_utc
from tradewire.ingest import metrics
from tradewire.ingest.articles.canonical import canonical_url, source_of
from tradewire.ingest.articles.jobs import PageJob, ProcessedPage
from tradewire.ingest.articles.workers import WorkerPool
from tradewire.ingest.errors import (
    ConnectionFailed,
    ExtractionError,
    FeedParseError,
    FetchError,
    FetchTimeout,
    HttpStatusError,
    RobotsUnavailable,
)
from tradewire.ingest.feeds.parse import FeedEntry, ParsedFeed, entries_digest, parse_feed
from tradewire.ingest.feeds.registry import FeedConfig
from tradewire.ingest.fetch import Fetcher
from tradewire.ingest.indexer import IndexWriter
from tradewire.ingest.schedule import after_failure, jittered, next_interval
from tradewire.ingest.settings import IngestOptions, PollingOptions
from tradewire.ingest.state import AcceptedArticle, State, StateError
from tradewire.search.alerts.outbox import OutboxError

log = logging.getLogger("tradewire.ingest")

FEED_ACCEPT = "application/rss+xml, application/atom+xml, application/rdf+xml, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.5"
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"

FeedOutcome = Literal["ok", "not-modified", "failed", "disabled"]
ArticleOutcome = Literal["new", "updated", "unchanged", "retry", "failed"]
# Called with each new or materially changed article, before it is spooled.
AcceptListener = Callable[[Article], None]
# The data directory failing (disk full, read-only) is no one feed's or entry's problem: it stops the cycle
# with its own clear error rather than being recorded (it could not be recorded anyway).
_SYSTEMIC = (StateError, OutboxError)


@dataclass(slots=True)
class FeedReport:
    name: str
    outcome: FeedOutcome
    error: str | None = None
    articles: dict[str, int] = field(default_factory=lambda: {"new": 0, "updated": 0, "unchanged": 0, "retry": 0, "failed": 0})
    article_errors: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # New entries beyond ingest.max_entries_per_feed, left for the next polls.
    waiting: int = 0


@dataclass(frozen=True, slots=True)
class _EntryResult:
    outcome: ArticleOutcome
    url: str | None
    note: str | None = None


class Pipeline:
    def __init__(
        self,
        options: IngestOptions,
        polling: PollingOptions,
        *,
        per_host_concurrency: int,
        state: State,
        fetcher: Fetcher,
        workers: WorkerPool,
        indexer: IndexWriter,
        listeners: list[AcceptListener] | None = None,
    ) -> None:
        self.options = options
        self.polling = polling
        self.per_host_concurrency = per_host_concurrency
        self.state = state
        self.fetcher = fetcher
        self.workers = workers
        self.indexer = indexer
        self.listeners = listeners or []
        self._accept_lock = asyncio.Lock()
        self._articles = asyncio.Semaphore(options.article_concurrency)
        self._host_articles: dict[str, asyncio.Semaphore] = {}

    async def poll(self, feed: FeedConfig) -> FeedReport:
        """Poll one feed; whatever goes wrong is recorded against this feed, never raised to the cycle."""
        try:
            return await self._poll(feed)
        except _SYSTEMIC:
            raise
        except Exception as error:  # a bug or an input nobody foresaw: this feed fails, the others go on
            log.exception("feed poll failed unexpectedly", extra={"feed": feed.name, "url": feed.display_url, "stage": "poll"})
            current = self.state.feeds.get(feed.name)
            failures = current.consecutive_failures if current else 0
            return self._failed(feed, failures, error, kind="internal",
                                message=f"unexpected error: {type(error).__name__}: {error}")

    async def _poll(self, feed: FeedConfig) -> FeedReport:
        current = self.state.feeds.get(feed.name)
        if current is None:
            self.state.feeds.sync([(feed.name, feed.url)])
            current = self.state.feeds.get(feed.name)
        assert current is not None
        if current.disabled_reason:
            return FeedReport(feed.name, "disabled", current.disabled_reason)
        # Entries whose pages failed transiently are retried on this poll, so the feed must be read even if unchanged.
        retrying = self.state.entries.has_retries(feed.name, self.options.article_attempts)
        try:
            with metrics.STAGE_SECONDS.labels("fetch_feed").time():
                response = await self.fetcher.fetch(
                    feed.url, etag=None if retrying else current.etag,
                    last_modified=None if retrying else current.last_modified,
                    trusted=feed.origin, accept=FEED_ACCEPT,
                )
        except FetchError as error:
            metrics.FETCHES.labels("feed", error.kind).inc()
            return self._failed(feed, current.consecutive_failures, error)
        metrics.FETCHES.labels("feed", "not-modified" if response.not_modified else "ok").inc()
        metrics.FETCHED_BYTES.labels("feed").inc(len(response.body))

        if response.not_modified:
            return self._succeeded(feed, "not-modified", current.interval_seconds, response.etag, response.last_modified, None)
        body_hash = entries_digest(response.body)
        if body_hash == current.body_hash and not retrying:
            # The same entries as last time from a server without validators: nothing to parse.
            return self._succeeded(feed, "not-modified", current.interval_seconds, response.etag, response.last_modified, body_hash)
        try:
            with metrics.STAGE_SECONDS.labels("parse").time():
                parsed: ParsedFeed = await asyncio.to_thread(
                    parse_feed, response.body, url=response.url, content_type=response.content_type,
                )
        except FeedParseError as error:
            return self._failed(feed, current.consecutive_failures, error, kind="parse")

        report = FeedReport(feed.name, "ok", warnings=list(parsed.warnings))
        by_key = {entry.key: entry for entry in parsed.entries}
        versions = {key: entry.version for key, entry in by_key.items()}
        todo = self.state.entries.to_process(feed.name, versions, self.options.article_attempts)
        # In the feed's order (newest first in most feeds): what is beyond the cap waits for the next polls,
        # which read the whole feed again (no validators kept) until nothing waits.
        chosen = [key for key in by_key if key in todo]
        cap = self.options.max_entries_per_feed
        report.waiting = max(0, len(chosen) - cap)
        if report.waiting:
            report.warnings.append(
                f"{report.waiting} of the feed's {len(chosen)} new entries wait for the next polls "
                f"(ingest.max_entries_per_feed is {cap})"
            )
        results = await asyncio.gather(*(self._process_bounded(feed, by_key[key]) for key in chosen[:cap]))
        for result in results:
            report.articles[result.outcome] += 1
            metrics.ARTICLES.labels(result.outcome).inc()
            if result.note and result.url:
                report.article_errors.append((result.url, result.note))
        new_articles = report.articles["new"] + report.articles["updated"]
        if report.waiting:
            self.state.feeds.forget_validators(feed.name)
        self._succeeded(
            feed, "ok", current.interval_seconds, *((None, None, None) if report.waiting else
                                                    (response.etag, response.last_modified, body_hash)),
            new_articles=new_articles, warnings=report.warnings,
        )
        log.info("feed polled", extra={"feed": feed.name, "stage": "poll", **report.articles})
        return report

    async def _process_bounded(self, feed: FeedConfig, entry: FeedEntry) -> _EntryResult:
        """Articles queue per site first, so a global slot is never held by an article waiting for its site's turn.

        An unexpected error fails this entry alone (retried on later polls up to `article_attempts`)."""
        try:
            host = (httpx.URL(entry.link).host if entry.link else "") or ""
            per_host = self._host_articles.setdefault(
                host, asyncio.Semaphore(self.per_host_concurrency)
            )
            async with per_host, self._articles:
                return await self.process(feed, entry)
        except _SYSTEMIC:
            raise
        except Exception as error:
            log.exception("article failed unexpectedly", extra={"feed": feed.name, "url": entry.link, "stage": "process"})
            note = f"unexpected error: {type(error).__name__}: {error}"
            retry = self._attempts_left(feed, entry) > 0
            self.state.entries.record_failure(feed.name, entry.key, entry.link, note, retry=retry, version=entry.version)
            return _EntryResult("retry" if retry else "failed", entry.link or feed.display_url, note)

    async def process(self, feed: FeedConfig, entry: FeedEntry) -> _EntryResult:
        url = entry.link
        fallback_reason: str | None = None
        html: bytes | None = None
        if url is None:
            fallback_reason = "the feed entry has no link; its own text stands in"
        else:
            try:
                trusted = feed.origin if feed.allow_private else None
                if await self.fetcher.allowed_by_robots(url, trusted=trusted):
                    with metrics.STAGE_SECONDS.labels("fetch_article").time():
                        page = await self.fetcher.fetch(url, accept=PAGE_ACCEPT, trusted=trusted)
                    html, url = page.body, page.url
                    metrics.FETCHES.labels("article", "ok").inc()
                    metrics.FETCHED_BYTES.labels("article").inc(len(page.body))
                else:
                    fallback_reason = "robots.txt disallows fetching the page; the feed entry's text stands in"
            except FetchError as error:
                metrics.FETCHES.labels("article", error.kind).inc()
                left = self._attempts_left(feed, entry) if _transient(error) else 0
                if left > 0:
                    self.state.entries.record_failure(feed.name, entry.key, entry.link, str(error), retry=True,
                                                      version=entry.version)
                    log.warning("article fetch failed; will retry", extra={"feed": feed.name, "url": url, "stage": "fetch-article", "error": str(error)})
                    attempt = self.options.article_attempts - left
                    return _EntryResult("retry", url, f"{error} (attempt {attempt}; retried on the next poll)")
                fallback_reason = f"the page could not be fetched ({error}); the feed entry's text stands in"
        job = PageJob(
            url=url or feed.url, html=html, entry_title=entry.title, entry_text=entry.text,
            entry_published=entry.published, entry_author=entry.author, fallback_reason=fallback_reason,
        )
        try:
            with metrics.STAGE_SECONDS.labels("process").time():
                processed = await self.workers.process(job)
        except ExtractionError as error:
            if not entry.text:
                self.state.entries.record_failure(feed.name, entry.key, entry.link, str(error), retry=False,
                                                version=entry.version)
                return _EntryResult("failed", url, str(error))
            processed = await self.workers.process(
                PageJob(job.url, None, entry.title, entry.text, entry.published, entry.author,
                        f"{error}; the feed entry's text stands in")
            )
        if processed.extraction == "feed":
            metrics.EXTRACTION_FALLBACKS.inc()
        notes = [note for note in (processed.note, *entry.notes) if note]
        canonical = (
            canonical_url(url, processed.declared_canonical) if url
            else f"{canonical_url(feed.url)}#entry-{hashlib.sha256(entry.key.encode()).hexdigest()[:16]}"
        )
        outcome = await self._accept(feed, entry, canonical, url or feed.url, processed, notes)
        return _EntryResult(outcome, url or feed.display_url, "; ".join(notes) if processed.extraction == "feed" or entry.notes else None)

    async def _accept(
        self, feed: FeedConfig, entry: FeedEntry, canonical: str, url: str, page: ProcessedPage, notes: list[str]
    ) -> ArticleOutcome:
        identity = article_id(canonical)
        digest = content_hash(page.title, page.text)
        async with self._accept_lock:
            previous = self.state.stories.version_of(identity)
            if previous and previous[0] == digest:
                self.state.entries.mark_done(feed.name, entry.key, entry.link, identity, entry.version)
                return "unchanged"
            story = previous[1] if previous else (self.state.stories.find(identity, page.signature) or identity)
            article = Article(
                id=identity, url=url, canonical_url=canonical, feed=feed.name, feed_tags=list(feed.tags),
                source=source_of(canonical),
                title=page.title, author=page.author, published=page.published, fetched=now_utc(),
                language=page.enrichment.language, text=page.text, tags=page.enrichment.tags,
                entities=page.enrichment.entities, events=page.enrichment.events, content_hash=digest,
                story_id=story, extraction=page.extraction,  # type: ignore[arg-type]
                extraction_note="; ".join(notes) or None, tagging_note=page.enrichment.tagging_note,
                listed=page.listed,
                watched=page.watched,
            )
            for listener in self.listeners:
                listener(article)
            document = article.model_dump_json()
            self.state.accept(AcceptedArticle(
                feed=feed.name, key=entry.key, link=entry.link, article_id=identity, canonical_url=canonical,
                content_hash=digest, story_id=story, signature=page.signature, document=document,
                version=entry.version,
            ))
        self.indexer.accepted(article, document)
        for tag in article.tags:
            metrics.TAGS.labels(tag.name).inc()
        log.info("article accepted", extra={"feed": feed.name, "url": url, "stage": "accept", "tags": [t.name for t in article.tags]})
        return "updated" if previous else "new"

    def _attempts_left(self, feed: FeedConfig, entry: FeedEntry) -> int:
        """How many attempts at this entry remain after the one that just failed."""
        return self.options.article_attempts - (self.state.entries.attempts(feed.name, entry.key) + 1)

    def _succeeded(
        self, feed: FeedConfig, outcome: FeedOutcome, interval: float | None, etag: str | None,
        last_modified: str | None, body_hash: str | None, *, new_articles: int = 0, warnings: list[str] | None = None,
    ) -> FeedReport:
        seconds = next_interval(feed, self.polling, interval, new_articles)
        self.state.feeds.record_success(
            feed.name, outcome=outcome, etag=etag, last_modified=last_modified, body_hash=body_hash,
            new_articles=new_articles, warnings=warnings or [], interval_seconds=seconds,
            next_poll_at=jittered(now_utc(), seconds, self.polling.jitter),
        )
        return FeedReport(feed.name, outcome, warnings=warnings or [])

    def _failed(
        self, feed: FeedConfig, failures: int, error: Exception, *, kind: str | None = None, message: str | None = None
    ) -> FeedReport:
        kind = kind or getattr(error, "kind", "error")
        message = message or str(error)
        disable: str | None = None
        if isinstance(error, HttpStatusError) and error.status == 410:
            disable = "HTTP 410 Gone: the publisher removed the feed"
        elif failures + 1 >= self.polling.failures_before_disable:
            disable = f"disabled after {failures + 1} consecutive failures; last: {message}"
        retry_after = error.retry_after if isinstance(error, HttpStatusError) else None
        if retry_after is not None:
            message += f" (Retry-After {retry_after:.0f} s honoured)"
        next_poll = after_failure(now_utc(), feed, self.polling, failures + 1, retry_after)
        self.state.feeds.record_failure(feed.name, kind=kind, message=message, next_poll_at=next_poll, disable_reason=disable)
        log.warning("feed failed", extra={"feed": feed.name, "url": feed.display_url, "stage": "poll", "error": message})
        return FeedReport(feed.name, "failed", disable or message)


def _transient(error: FetchError) -> bool:
    if isinstance(error, HttpStatusError):
        return error.status == 429 or error.status >= 500
    return isinstance(error, (FetchTimeout, ConnectionFailed, RobotsUnavailable))


"""The CPU-heavy part of an article's way, run in worker processes: extraction, enrichment, screening against the
sanctions lists, near-duplicate signature.

`process_page` is a pure function of its job (plus the enricher and the screening index built once per worker by
`init_worker`). With a
tagging timeout, tagging that takes longer is given up and the page keeps its text without tags, with a note: a
page is never stopped and retried for what its text makes the tagger do.
"""

from __future__ import annotations

import gc
import signal
import threading
from datetime import date, datetime, timezone
from pathlib import Path

import trafilatura

from tradewire.core.article import ListedParty
from tradewire.enrich import Enricher, Enrichment, Gazetteer, Taxonomy
from tradewire.enrich.language import detect_language
from tradewire.enrich.screening.index import ScreeningIndex
from tradewire.ingest.articles.jobs import PageJob, ProcessedPage
from tradewire.ingest.articles.screening import listed_parties, load_screening, watched_mentions
from tradewire.ingest.articles.signature import signature
from tradewire.ingest.lists.watchlist import WatchlistFile, watchlist_index

_MIN_ARTICLE_CHARS = 200

_enricher: Enricher | None = None
_screening: ScreeningIndex | None = None
_watchlist: ScreeningIndex | None = None

__all__ = ["PageJob", "ProcessedPage", "extract", "init_worker", "process_page", "screen_articles"]


# Small pages in English, Chinese and German: extracting and enriching them once at worker start pays the
# first-call costs (trafilatura's and lxml's lazy set-up, regex compilation, py3langid's first classification,
# which only a text neither English nor Chinese reaches), while the feeds are fetched rather than on the first
# pages. The language model itself is loaded before (ingest.articles.workers, from its copy: enrich.language).
_WARM_UP_PAGES = (
    "<html><head><title>US sanctions chip firms</title></head><body><article><h1>US sanctions chip firms</h1>"
    + "<p>The United States imposed sanctions on three companies on Monday, the Treasury said, and talks on an "
    "export licence for Nvidia chips resumed.</p>" * 4 + "</article></body></html>",
    "<html><head><title>商务部回应</title></head><body><article><p>" + "商务部表示，中方将对相关企业实施出口管制，并就关税问题与美方磋商。" * 8
    + "</p></article></body></html>",
    "<html><head><title>Neue Zölle</title></head><body><article><p>" + "Die Regierung hat neue Zölle auf Stahl "
    "beschlossen und die Sanktionen gegen drei Unternehmen verlängert, teilte das Ministerium mit. " * 4
    + "</p></article></body></html>",
)


def init_worker(
    taxonomy_json: str, gazetteer_json: str, lists_path: str | None = None, watchlist_json: str | None = None,
) -> None:
    """Build the worker's enricher, its screening index from the lists stored at `lists_path` (the state database),
    and one of the watchlist's parties (`watchlist_json`: a WatchlistFile)."""
    global _enricher, _screening, _watchlist
    _enricher = Enricher(Taxonomy.model_validate_json(taxonomy_json), Gazetteer.model_validate_json(gazetteer_json))
    _screening = load_screening(Path(lists_path)) if lists_path else None
    parties = WatchlistFile.model_validate_json(watchlist_json).parties if watchlist_json else []
    _watchlist = watchlist_index(parties) if parties else None
    for html in _WARM_UP_PAGES:
        process_page(PageJob("https://example.org/warm-up", html.encode(), "warm-up", "", None, None))
    # What the worker holds for its lifetime (the enricher's automaton, hundreds of thousands of listed names) is
    # never garbage: left to the collector, each full collection would walk it again.
    gc.freeze()


def process_page(
    job: PageJob, enricher: Enricher | None = None, *, tagging_timeout: float | None = None,
    screening: ScreeningIndex | None = None, watchlist: ScreeningIndex | None = None,
) -> ProcessedPage:
    enricher = enricher or _enricher
    screening = screening or _screening
    watchlist = watchlist or _watchlist
    if enricher is None:
        raise RuntimeError("process_page needs an enricher: call init_worker first")
    extracted = extract(job.html, job.url) if job.html is not None else None
    found = len(extracted.text or "") if extracted is not None else 0
    # Little text is often a cookie notice, not the article; but a short press release beats an empty feed entry.
    if found and (found >= _MIN_ARTICLE_CHARS or found > len(job.entry_text or "")):
        title = extracted.title or job.entry_title
        text = _without_headline(extracted.text, title)
        author = extracted.author or job.entry_author
        published = job.entry_published or _date(extracted.date)
        declared = extracted.url if extracted.url != job.url else None
        extraction, note = "article", None
    else:
        title, author, published, declared = job.entry_title, job.entry_author, job.entry_published, None
        text = job.entry_text or job.entry_title or ""  # a headline-only entry is tagged from its headline
        extraction = "feed"
        note = job.fallback_reason or "trafilatura found no article text on the page; the feed entry's text stands in"
    enrichment = _enrich_within(enricher, text, published.date() if published else None, tagging_timeout)
    title = title or "(untitled)"
    return ProcessedPage(
        title=title,
        author=author,
        published=published,
        text=text,
        declared_canonical=declared,
        extraction=extraction,
        note=note,
        enrichment=enrichment,
        signature=signature(title, text),
        listed=listed_parties(screening, text, title) if screening is not None else [],
        watched=watched_mentions(watchlist, text) if watchlist is not None else [],
    )


def screen_articles(articles: list[tuple[str, str]]) -> list[list[ListedParty]]:
    """The listed parties each (title, text) names, against the worker's lists (stored articles screened again)."""
    return [listed_parties(_screening, text, title) if _screening is not None else [] for title, text in articles]


class _OverBudget(Exception):
    pass


def _stop_tagging(signum: int, frame: object) -> None:
    raise _OverBudget


def _enrich_within(enricher: Enricher, text: str, published: date | None, timeout: float | None) -> Enrichment:
    """The text's enrichment; past `timeout` seconds, none but its language and a note. The timer is an interval
    timer signal, so it needs the main thread (a worker process's)."""
    if timeout is None or threading.current_thread() is not threading.main_thread():
        return enricher.enrich(text, published=published)
    previous = signal.signal(signal.SIGALRM, _stop_tagging)
    try:
        signal.setitimer(signal.ITIMER_REAL, timeout)
        try:
            return enricher.enrich(text, published=published)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    except _OverBudget:
        note = f"tagging took longer than {timeout:g} s on {len(text):,} characters and was stopped; indexed without tags"
        return Enrichment(language=detect_language(text), tagging_note=note)
    finally:
        signal.signal(signal.SIGALRM, previous)


def extract(html: bytes, url: str):  # type: ignore[no-untyped-def]
    """trafilatura's fast mode first (no backup extractors: identical text on well-formed news pages, a fifth
    cheaper); when that finds little or nothing, the full extraction with its backup extractors."""
    document = _extract(html, url, fast=True)
    if document is None or len(document.text or "") < _MIN_ARTICLE_CHARS:
        document = _extract(html, url, fast=False)
    return document


def _extract(html: bytes, url: str, *, fast: bool):  # type: ignore[no-untyped-def]
    try:
        return trafilatura.bare_extraction(
            html, url=url, with_metadata=True, include_comments=False, include_tables=True, fast=fast
        )
    except (ValueError, RecursionError, MemoryError, TypeError):
        return None


def _without_headline(text: str, title: str) -> str:
    """The body without a first line that repeats the title (the title is stored on its own)."""
    first, _, rest = text.partition("\n")
    if rest and " ".join(first.split()).casefold() == " ".join(title.split()).casefold():
        return rest.lstrip("\n")
    return text


def _date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        day = date.fromisoformat(value[:10])
    except ValueError:
        return None
    return datetime(day.year, day.month, day.day, tzinfo=timezone.utc)

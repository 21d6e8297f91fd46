"""Prometheus metrics of ingestion (registered in the default registry that /metrics serves)."""

from __future__ import annotations

from prometheus_client import Counter, Histogram

FETCHES = Counter("tradewire_fetches", "HTTP fetches by what was fetched and the outcome", ["kind", "outcome"])
FETCHED_BYTES = Counter("tradewire_fetched_bytes", "Decoded bytes fetched", ["kind"])
FEED_POLLS = Counter("tradewire_feed_polls", "Feed polls by outcome (ok, not-modified, failed, disabled)", ["outcome"])
ARTICLES = Counter("tradewire_articles", "Articles by outcome (new, updated, unchanged, retry, failed)", ["outcome"])
EXTRACTION_FALLBACKS = Counter(
    "tradewire_extraction_fallbacks", "Articles whose feed entry text stood in for the page (nothing extracted, fetch failed)"
)
INDEXED = Counter("tradewire_articles_indexed", "Articles written to the index")
TAGS = Counter("tradewire_tags", "Tags assigned to accepted articles", ["tag"])
ALERTS_CREATED = Counter("tradewire_alerts_created", "Alerts stored in the outbox", ["rule"])
STAGE_SECONDS = Histogram(
    "tradewire_stage_seconds", "Time spent per pipeline stage", ["stage"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60),
)

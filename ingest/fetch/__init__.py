"""Polite HTTP fetching for feeds and article pages."""

from tradewire.ingest.fetch.client import Fetcher, FetchResult

__all__ = ["FetchResult", "Fetcher"]

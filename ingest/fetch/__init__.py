"""Polite HTTP fetching for feeds and article pages."""

from ingest.fetch.client import Fetcher, FetchResult

__all__ = ["FetchResult", "Fetcher"]

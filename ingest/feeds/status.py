"""Each configured feed joined with its stored state: what `feeds status`, the API and the web page show."""

from __future__ import annotations

from typing import Any

from tradewire.ingest.configuration import Config
from tradewire.ingest.state import State


def feed_status(config: Config) -> list[dict[str, Any]]:
    """Configured feeds joined with their stored state, as `feeds status` and the API show them."""
    store = State(config.settings.files.state)
    try:
        states = {state.name: state for state in store.feeds.all()}
    finally:
        store.close()
    rows = []
    for feed in config.feeds:
        state = states.get(feed.name)
        if not feed.enabled:
            label = "disabled in feeds.yaml"
        elif state is None or state.last_outcome is None:
            label = "never polled"
        elif state.disabled_reason:
            label = "disabled"
        else:
            label = state.last_outcome
        rows.append({
            "name": feed.name,
            "url": feed.display_url,
            "state": label,
            "last_outcome": state.last_outcome if state else None,
            "last_fetch_at": state.last_fetch_at if state else None,
            "last_success_at": state.last_success_at if state else None,
            "next_poll_at": state.next_poll_at if state else None,
            "interval_seconds": state.interval_seconds if state else None,
            "consecutive_failures": state.consecutive_failures if state else 0,
            "last_error": state.last_error if state else None,
            "last_error_kind": state.last_error_kind if state else None,
            "disabled_reason": state.disabled_reason if state else None,
            "new_articles_last": state.new_articles_last if state else 0,
            "warnings": state.warnings if state else None,
        })
    return rows

"""Refreshing a sanctions list: fetch it, read it whole, and apply it only when the new version looks sound.

The fetch is the project's polite one (conditional GET with the validators of the version in force,
retries, the list's `max_bytes` enforced while streaming), streamed into a temporary file of the data
directory's `downloads/` (unlinked at once, so nothing is left behind whatever happens) and parsed from there by
the format's streaming parser: a list of hundreds of megabytes is never held in memory as bytes. The file is
read whole before anything is applied (`read_list`), then diffed against the stored entries in one transaction (`ListStore.apply`).
A version that looks broken is not applied and the previous one stays in force, with the reason recorded
for `tradewire lists status`: a file that does not parse (truncated, malformed, another schema), an empty
list, or one that would delist more than the list's `max_delisted_share`. A 304 applies nothing.
The first version of a list is its baseline: stored without designation events, since what was listed
before tradewire looked is no news. The events of the versions applied are then handed to the caller's
listener (the designation alerts of `ingest.lists.alerts`), at least once each: see `hand_over`.
"""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from tradewire.ingest import __version__
from tradewire.ingest.errors import FetchError
from tradewire.ingest.fetch import Fetcher
from tradewire.ingest.lists import ListFormatError, read_list
from tradewire.ingest.lists.sources import ListSource
from tradewire.ingest.settings import FetchOptions
from tradewire.ingest.state.lists import DesignationEvent, ListState, ListStore, Outcome, RefusedVersion

# Large lists take minutes on a slow link: the feeds' whole-response timeout would cut them off.
LIST_TOTAL_TIMEOUT = 600.0

# Told of the designation events of each version applied (once it is stored), to raise their alerts.
DesignationListener = Callable[[Sequence[DesignationEvent]], None]


@dataclass(frozen=True, slots=True)
class RefreshReport:
    name: str
    outcome: Outcome
    entries: int  # in force after the refresh
    listed: int = 0
    delisted: int = 0
    amended: int = 0
    error: str | None = None

    @property
    def kept_previous(self) -> bool:
        return self.outcome in ("refused", "failed")

    @property
    def changed_entries(self) -> bool:
        """Whether the entries in force changed: a first load, or a version that listed, delisted or amended.
        (A version applied with the same entries in other bytes changes nothing the screening reads.)"""
        return self.outcome == "baseline" or bool(self.listed or self.delisted or self.amended)


def list_fetcher(options: FetchOptions) -> Fetcher:
    """A fetcher with the settings' limits, but a whole-response timeout long enough for a large list."""
    longer = options.model_copy(update={"total_timeout": max(options.total_timeout, LIST_TOTAL_TIMEOUT)})
    return Fetcher(longer, user_agent=options.agent(__version__))


def is_due(source: ListSource, state: ListState | None, now: datetime) -> bool:
    """Whether the list's interval has passed since its last refresh (a list never refreshed is due)."""
    return state is None or state.last_refresh_at is None or now - state.last_refresh_at >= source.interval


async def refresh_due(
    sources: list[ListSource], fetcher: Fetcher, store: ListStore, now: datetime,
    listener: DesignationListener | None = None, *, downloads: Path,
) -> list[RefreshReport]:
    """Refresh the lists among `sources` whose interval has passed (downloads streamed into `downloads`)."""
    due = [source for source in sources if is_due(source, store.get(source.name), now)]
    return await refresh_lists(due, fetcher, store, listener, downloads=downloads)


async def refresh_lists(
    sources: list[ListSource], fetcher: Fetcher, store: ListStore, listener: DesignationListener | None = None, *,
    downloads: Path,
) -> list[RefreshReport]:
    """Refresh each list, concurrently within the fetcher's limits; then hand every new event to `listener`."""
    downloads.mkdir(parents=True, exist_ok=True)
    reports = list(await asyncio.gather(*(refresh_list(source, fetcher, store, downloads) for source in sources)))
    hand_over(store, listener)
    return reports


def hand_over(store: ListStore, listener: DesignationListener | None) -> None:
    """Give the events not yet handed over to `listener` (the alert rules), then mark them so.

    The events are stored with the version that brought them, the alerts in another database: an event is
    marked only after its alerts are recorded, so a crash in between hands it over again at the next refresh
    (the outbox stores an alert once per rule, entry and event). With no listener (no designation rule) the
    events are marked too: a rule added later alerts on what comes after it, not on the past.
    """
    pending = store.not_handed_over()
    if not pending:
        return
    if listener is not None:
        listener([event for _, event in pending])
    store.handed_over(number for number, _ in pending)


async def refresh_list(source: ListSource, fetcher: Fetcher, store: ListStore, downloads: Path) -> RefreshReport:
    stored = store.get(source.name)
    # Validators belong to the URL they were given for: a list moved to another address is fetched whole.
    validators = stored if stored is not None and stored.url == source.url else None
    in_force = stored.entry_count if stored else 0
    with tempfile.TemporaryFile(dir=downloads, prefix=f"{source.name}-") as download:
        try:
            result = await fetcher.fetch(
                source.url, etag=validators.etag if validators else None,
                last_modified=validators.last_modified if validators else None, max_bytes=source.max_bytes,
                into=download,
            )
        except FetchError as error:
            return _kept(store, source, in_force, "failed", f"fetch failed: {error}")
        if result.not_modified:
            store.record(source.name, source.url, "not-modified")
            return RefreshReport(source.name, "not-modified", in_force)
        download.seek(0)
        try:
            # Reading a large list takes seconds of CPU: off the event loop, so a running service keeps polling.
            entries = await asyncio.to_thread(read_list, download, source.format, source.name)
        except ListFormatError as error:
            return _kept(store, source, in_force, "refused", f"not a complete list: {error.where}: {error.reason}")
    try:
        changes = store.apply(
            source.name, source.url, entries, max_delisted_share=source.max_delisted_share,
            etag=result.etag, last_modified=result.last_modified,
        )
    except RefusedVersion as error:
        return _kept(store, source, in_force, "refused", str(error))
    return RefreshReport(
        source.name, "baseline" if changes.baseline else "applied", changes.entries,
        changes.listed, changes.delisted, changes.amended,
    )


def _kept(store: ListStore, source: ListSource, in_force: int, outcome: Outcome, error: str) -> RefreshReport:
    message = f"{error}; the previous version stays in force" if in_force else error
    store.record(source.name, source.url, outcome, message)
    return RefreshReport(source.name, outcome, in_force, error=message)

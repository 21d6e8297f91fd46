"""What `/healthz` and `/metrics` report about the running service, read from stores opened once at start."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from tradewire.core.files import DataFiles
from tradewire.ingest.service.scheduling import FeedJobs
from tradewire.ingest.state import State
from tradewire.search.alerts import Outbox
from tradewire.search.backends import BackendError, IndexBackend


class Health(Collector):
    """The service's health for `/healthz`, and its backlogs as Prometheus gauges read at scrape time.

    The API answers from its own threads, so it reads through connections of its own, not the pipeline's.
    """

    def __init__(self, files: DataFiles, backend: IndexBackend, jobs: FeedJobs) -> None:
        self.state = State(files.state)
        self.outbox = Outbox(files.alerts)
        self.backend = backend
        self.jobs = jobs
        self.last_reload_error: str | None = None

    def close(self) -> None:
        self.state.close()
        self.outbox.close()

    def report(self) -> dict[str, Any]:
        try:
            index_health: str | None = self.backend.health()
            index_reachable, index_error = True, None
        except BackendError as error:
            index_health, index_reachable, index_error = None, False, str(error)
        counts = self.outbox.counts()
        scheduler = self.jobs.active
        # A list whose last refresh was refused or failed keeps its previous version: degraded, not failing.
        lists = {
            stored.name: {"outcome": stored.last_outcome, "entries": stored.entry_count, "error": stored.last_error}
            for stored in self.state.lists.all()
        }
        lists_kept = any(entry["outcome"] in ("refused", "failed") for entry in lists.values())
        healthy = scheduler and index_health == "green" and not lists_kept
        return {
            # An index whose cluster is red has data it cannot serve: failing, not merely degraded.
            "status": "failing" if index_health == "red" else "ok" if healthy else "degraded",
            "index_health": index_health,
            "lists": lists,
            "scheduler": scheduler,
            "feeds_scheduled": self.jobs.scheduled,
            "index_reachable": index_reachable,
            "index_error": index_error,
            "spooled": self.state.spool.size(),
            "outbox_backlog": counts["pending"] + counts["queued"],
            "alerts_dead": counts["dead"],
            "last_reload_error": self.last_reload_error,
        }

    def collect(self) -> Iterator[GaugeMetricFamily]:
        spool = GaugeMetricFamily("tradewire_spool_articles", "Accepted articles waiting to be written to the index")
        spool.add_metric([], self.state.spool.size())
        deliveries = GaugeMetricFamily("tradewire_alert_deliveries", "Alert deliveries by status", labels=["status"])
        for status, count in self.outbox.counts().items():
            deliveries.add_metric([status], count)
        yield spool
        yield deliveries

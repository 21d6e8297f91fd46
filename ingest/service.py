"""`tradewire serve`: scheduled ingestion, the index writer, alert delivery and the HTTP API in one process.

One APScheduler job per enabled feed, rescheduled after every poll to the time the pipeline chose
(adaptive interval, error backoff, Retry-After). SIGTERM/SIGINT stop taking new work, let running polls
finish (or cancel them after the shutdown timeout: their entries are simply polled again), write the
spool to the index and deliver due alerts. SIGHUP (or `tradewire reload`) reloads feeds, taxonomy and
alert rules; a configuration with a mistake is reported and the running one stays in force.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
import os
import signal
import socket
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import uvicorn
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger
from prometheus_client import REGISTRY
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from core.clock import now_utc
from core.durations import parse_duration
from ingest import __version__
from ingest.configuration import Config, config_path, load_config
from ingest.errors import ConfigError
from ingest.feeds.registry import FeedConfig, add_feed, remove_feed
from ingest.feeds.status import feed_status
from ingest.runtime import Runtime, open_runtime
from ingest.state import State
from search.alerts import Outbox
from search.api.app import create_app
from search.api.services import ApiServices, FeedChangeError
from search.backends import BackendError

log = logging.getLogger("tradewire.service")
PID_FILE = "serve.pid"
_FIRST_POLL_SPREAD = timedelta(minutes=5)


class ServiceError(RuntimeError):
    """The service cannot start (port in use, no token for a public address, ...)."""


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class Service:
    def __init__(self, config: Config, *, host: str, port: int) -> None:
        self.config = config
        self.host = host
        self.port = port
        self.token = config.settings.server.token.get_secret_value() if config.settings.server.token else None
        if not is_loopback(host) and not self.token:
            raise ServiceError(
                f"refusing to listen on {host} without a token: set TRADEWIRE_API_TOKEN (or server.token in settings.yaml)"
            )
        self.stop = asyncio.Event()
        self.scheduler: AsyncIOScheduler | None = None
        self.runtime: Runtime | None = None
        self.last_reload_error: str | None = None
        self._polls: set[asyncio.Task[Any]] = set()

    async def run(self) -> None:
        listener = _bind(self.host, self.port)
        data_dir = self.config.settings.data_dir
        pid_file = data_dir / PID_FILE
        async with open_runtime(self.config) as runtime:
            self.runtime = runtime
            await runtime.workers.warm_up()
            try:
                await asyncio.to_thread(runtime.backend.ensure_ready)
            except BackendError as error:
                # Ingestion goes on into the spool; the index writer creates the index once it is reachable.
                log.error("index unavailable at start", extra={"error": str(error)})
            pid_file.write_text(str(os.getpid()))
            api_outbox = Outbox(data_dir / "alerts.db")
            collector = _QueueCollector(data_dir)
            REGISTRY.register(collector)
            server = _Server(uvicorn.Config(
                create_app(self._api_services(api_outbox), token=self.token, version=__version__),
                log_config=None, access_log=False, lifespan="off",
            ))
            background = [
                asyncio.create_task(runtime.indexer.run(self.stop), name="index-writer"),
                asyncio.create_task(runtime.dispatcher.run(self.stop), name="alert-dispatcher"),
                asyncio.create_task(server.serve(sockets=[listener]), name="http-api"),
            ]
            self._install_signals()
            self._start_scheduler()
            log.info("tradewire serving", extra={"url": f"http://{self.host}:{listener.getsockname()[1]}",
                                                 "feeds": len(self.config.enabled_feeds)})
            try:
                await self.stop.wait()
            finally:
                await self._shut_down(server, background)
                REGISTRY.unregister(collector)
                api_outbox.close()
                pid_file.unlink(missing_ok=True)

    # scheduling

    def _start_scheduler(self) -> None:
        self.scheduler = AsyncIOScheduler(
            timezone=timezone.utc,
            job_defaults={"max_instances": 1, "coalesce": True, "misfire_grace_time": 600},
        )
        self._schedule(self.config.enabled_feeds)
        self.scheduler.start()

    def _schedule(self, feeds: list[FeedConfig]) -> None:
        """A job per feed, first run at the stored next poll, or spread over the first minutes when it is due."""
        assert self.scheduler is not None and self.runtime is not None
        state = self.runtime.state
        state.feeds.sync((feed.name, feed.url) for feed in feeds)
        now = now_utc()
        due = [feed for feed in feeds if not state.feeds.future_poll(feed.name, now)]
        spread = min(_FIRST_POLL_SPREAD, self.config.settings.polling.default_interval)
        step = spread / max(1, len(due))
        for feed in feeds:
            first = state.feeds.future_poll(feed.name, now) or now + step * due.index(feed)
            self._set_job(feed, first, self._interval(feed))

    def _interval(self, feed: FeedConfig) -> float:
        current = self.runtime.state.feeds.get(feed.name) if self.runtime else None
        default = (feed.interval or self.config.settings.polling.default_interval).total_seconds()
        return current.interval_seconds if current and current.interval_seconds else default

    def _set_job(self, feed: FeedConfig, first: datetime, interval: float) -> None:
        assert self.scheduler is not None
        trigger = IntervalTrigger(
            seconds=max(1.0, interval), start_date=first, timezone=timezone.utc,
            jitter=max(0.0, interval * self.config.settings.polling.jitter),
        )
        if self.scheduler.get_job(feed.name):
            self.scheduler.reschedule_job(feed.name, trigger=trigger)
        else:
            self.scheduler.add_job(self._poll, trigger, args=[feed.name], id=feed.name, name=feed.name)

    async def _poll(self, name: str) -> None:
        if self.stop.is_set() or self.runtime is None:
            return
        feed = next((feed for feed in self.runtime.config.enabled_feeds if feed.name == name), None)
        if feed is None:
            return
        task = asyncio.current_task()
        assert task is not None
        self._polls.add(task)
        try:
            await self.runtime.poll(feed)
        except asyncio.CancelledError:
            if not self.stop.is_set():
                raise
            # Cut off by the shutdown deadline: its unfinished entries were never marked seen.
            log.info("poll cut off at shutdown; its unfinished entries are polled again on restart",
                     extra={"feed": name, "stage": "poll"})
            return
        except Exception:  # one feed's unexpected failure must not stop its schedule or the service
            log.exception("poll failed unexpectedly", extra={"feed": name, "stage": "poll"})
        finally:
            self._polls.discard(task)
        stored = self.runtime.state.feeds.get(name)
        if stored and stored.next_poll_at and not self.stop.is_set() and self.scheduler is not None:
            self._set_job(feed, max(stored.next_poll_at, now_utc()), self._interval(feed))

    # signals and reload

    def _install_signals(self) -> None:
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, self._request_stop, signum)
        loop.add_signal_handler(signal.SIGHUP, self.reload)

    def _request_stop(self, signum: int) -> None:
        log.info("stopping", extra={"signal": signal.Signals(signum).name})
        self.stop.set()

    def reload(self) -> bool:
        """Load the configuration again and switch to it; on a mistake keep the running one and say why."""
        try:
            config = load_config(self.config.config_dir)
        except ConfigError as error:
            self.last_reload_error = str(error)
            log.error("reload refused; the running configuration stays in force", extra={"error": str(error)})
            return False
        assert self.runtime is not None and self.scheduler is not None
        # A feed whose URL changed forgets the old URL's validators (its ETag means nothing to the new one).
        self.runtime.state.feeds.sync((feed.name, feed.url) for feed in config.enabled_feeds)
        self.runtime.use_config(config)
        self.config = config
        self.last_reload_error = None
        wanted = {feed.name for feed in config.enabled_feeds}
        for job in self.scheduler.get_jobs():
            if job.id not in wanted:
                job.remove()
        new = [feed for feed in config.enabled_feeds if self.scheduler.get_job(feed.name) is None]
        if new:
            self._schedule(new)
        log.info("configuration reloaded", extra={"feeds": len(wanted), "rules": len(config.alerts.rules)})
        return True

    async def _shut_down(self, server: _Server, background: list[asyncio.Task[Any]]) -> None:
        """Within one deadline (server.shutdown_timeout, less a margin for closing the worker processes):
        running polls may finish (60% of it), then the spool is written and due alerts are delivered."""
        loop = asyncio.get_running_loop()
        timeout = self.config.settings.server.shutdown_timeout
        deadline = loop.time() + timeout * 0.9

        def left(share: float = 1.0) -> float:
            return max(0.1, (deadline - loop.time()) * share)

        if self.scheduler is not None:
            # Pause, not shut down: APScheduler's shutdown cancels running jobs, and running polls may finish.
            self.scheduler.pause()
        if self._polls:
            done, pending = await asyncio.wait(set(self._polls), timeout=timeout * 0.6)
            for task in pending:
                task.cancel()
            if pending:
                log.warning("polls cancelled at shutdown; their entries are polled again on restart",
                            extra={"polls": len(pending)})
                await asyncio.wait(pending, timeout=left(0.2))
        if self.scheduler is not None:
            self.scheduler.shutdown(wait=False)
        server.should_exit = True
        assert self.runtime is not None
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(self.runtime.indexer.flush(), timeout=left(0.5))
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(self.runtime.dispatcher.deliver_due(), timeout=left(0.7))
        await asyncio.wait(background, timeout=left())
        for task in background:
            task.cancel()

    # the API's view of the service

    def _api_services(self, outbox: Outbox) -> ApiServices:
        assert self.runtime is not None
        return ApiServices(
            backend=self.runtime.backend,
            outbox=outbox,
            feeds=lambda: feed_status(self.config),
            add_feed=self._add_feed,
            remove_feed=self._remove_feed,
            health=self._health,
        )

    def _feeds_path(self) -> Path:
        return config_path(self.config.config_dir, "feeds.yaml")

    def _add_feed(self, values: dict[str, Any]) -> None:
        try:
            if "interval" in values:
                values["interval"] = parse_duration(values["interval"])
            add_feed(self._feeds_path(), FeedConfig(**values))
        except ValueError as error:
            raise FeedChangeError(str(error).splitlines()[-1].strip()) from None
        except OSError as error:
            raise FeedChangeError(f"cannot write {self._feeds_path()}: {error.strerror}", status=503) from None
        if not self.reload():
            raise FeedChangeError(f"feeds.yaml no longer loads: {self.last_reload_error}")

    def _remove_feed(self, name: str) -> None:
        try:
            remove_feed(self._feeds_path(), name)
        except ValueError as error:  # no such feed
            raise FeedChangeError(str(error), status=404) from None
        except OSError as error:
            raise FeedChangeError(f"cannot write {self._feeds_path()}: {error.strerror}", status=503) from None
        self.reload()

    def _health(self) -> dict[str, Any]:
        assert self.runtime is not None
        try:
            self.runtime.backend.count()
            index_reachable, index_error = True, None
        except BackendError as error:
            index_reachable, index_error = False, str(error)
        state = State(self.config.settings.data_dir / "state.db")
        outbox = Outbox(self.config.settings.data_dir / "alerts.db")
        try:
            spooled, counts = state.spool.size(), outbox.counts()
        finally:
            state.close()
            outbox.close()
        scheduler = self.scheduler is not None and self.scheduler.running and not self.stop.is_set()
        return {
            "status": "ok" if scheduler and index_reachable else "degraded",
            "scheduler": scheduler,
            "feeds_scheduled": len(self.scheduler.get_jobs()) if self.scheduler else 0,
            "index_reachable": index_reachable,
            "index_error": index_error,
            "spooled": spooled,
            "outbox_backlog": counts["pending"] + counts["queued"],
            "alerts_dead": counts["dead"],
            "last_reload_error": self.last_reload_error,
        }


class _Server(uvicorn.Server):
    """uvicorn without its own signal handlers: the service handles SIGTERM, SIGINT and SIGHUP."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


class _QueueCollector(Collector):
    """Backlogs read at scrape time: articles waiting in the spool, alert deliveries by status."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir

    def collect(self):  # type: ignore[no-untyped-def]
        state = State(self.data_dir / "state.db")
        outbox = Outbox(self.data_dir / "alerts.db")
        try:
            spool = GaugeMetricFamily("tradewire_spool_articles", "Accepted articles waiting to be written to the index")
            spool.add_metric([], state.spool.size())
            deliveries = GaugeMetricFamily("tradewire_alert_deliveries", "Alert deliveries by status", labels=["status"])
            for status, count in outbox.counts().items():
                deliveries.add_metric([status], count)
        finally:
            state.close()
            outbox.close()
        yield spool
        yield deliveries


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listener.bind((host, port))
    except OSError as error:
        listener.close()
        raise ServiceError(f"cannot listen on {host}:{port}: {error.strerror}") from None
    listener.listen(128)
    listener.setblocking(False)
    return listener


def send_reload(data_dir: Path) -> int:
    """Signal the running service (found by its pid file) to reload; returns its pid."""
    pid_file = data_dir / PID_FILE
    try:
        pid = int(pid_file.read_text().strip())
        os.kill(pid, signal.SIGHUP)
    except FileNotFoundError:
        raise ServiceError(f"no running service found ({pid_file} does not exist)") from None
    except (ValueError, ProcessLookupError):
        raise ServiceError(f"the service recorded in {pid_file} is not running") from None
    return pid

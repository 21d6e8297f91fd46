"""`tradewire serve`: scheduled ingestion, the index writer, alert delivery and the HTTP API in one process.

The pieces: the feed jobs (ingest.service.scheduling), health and metrics (ingest.service.health), feed changes
from the API (ingest.service.feed_changes), the API's socket (ingest.service.listener), the Elasticsearch
rollover (ingest.service.index_rollover). This module holds the
lifecycle: SIGTERM/SIGINT stop taking new work, let running polls finish (or cancel them after the shutdown
timeout: their entries are simply polled again), write the spool to the index and deliver due alerts. SIGHUP
(or `tradewire reload`) reloads feeds, taxonomy and alert rules; a configuration with a mistake is reported and
the running one stays in force.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
from pathlib import Path
from typing import Any

import uvicorn
from prometheus_client import REGISTRY

from tradewire.core.files import DataFiles
from tradewire.ingest import __version__
from tradewire.ingest.configuration import Config, config_path, load_config
from tradewire.ingest.errors import ConfigError
from tradewire.ingest.feeds.status import feed_status
from tradewire.ingest.lists.screening import StoredScreening
from tradewire.ingest.runtime import Runtime, open_runtime
from tradewire.ingest.service.feed_changes import FeedChanges
from tradewire.ingest.service.health import Health
from tradewire.ingest.service.index_rollover import keep_index_rolled, rolls_over
from tradewire.ingest.service.list_jobs import keep_lists_fresh
from tradewire.ingest.service.listener import ApiServer, ServiceError, bind, is_loopback
from tradewire.ingest.service.scheduling import FeedJobs
from tradewire.search.alerts import Outbox
from tradewire.search.api.app import create_app
from tradewire.search.api.services import ApiServices
from tradewire.search.backends import BackendError

log = logging.getLogger("tradewire.service")


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
        self.runtime: Runtime | None = None
        self.jobs: FeedJobs | None = None
        self.health: Health | None = None

    async def run(self) -> None:
        listener = bind(self.host, self.port)
        files = self.config.settings.files
        async with open_runtime(self.config) as runtime:
            self.runtime = runtime
            await runtime.workers.warm_up()
            try:
                await asyncio.to_thread(runtime.backend.ensure_ready)
            except BackendError as error:
                # Ingestion goes on into the spool; the index writer creates the index once it is reachable.
                log.error("index unavailable at start", extra={"error": str(error)})
            files.pid.write_text(str(os.getpid()))
            self.jobs = FeedJobs(runtime.state.feeds, self.config.settings.polling, runtime.poll)
            self.health = Health(files, runtime.backend, self.jobs)
            REGISTRY.register(self.health)
            api_outbox = Outbox(files.alerts)
            server = ApiServer(uvicorn.Config(
                create_app(self._api_services(api_outbox), token=self.token, version=__version__),
                log_config=None, access_log=False, lifespan="off",
            ))
            background = [
                asyncio.create_task(runtime.indexer.run(self.stop), name="index-writer"),
                asyncio.create_task(runtime.dispatcher.run(self.stop), name="alert-dispatcher"),
                asyncio.create_task(keep_lists_fresh(
                    lambda: self.config.enabled_lists, runtime.state.lists, self.config.settings.fetch, self.stop,
                    runtime.designation_recorder, on_applied=runtime.lists_changed, rescreen=runtime.rescreen_if_due,
                    downloads=files.downloads,
                ), name="list-refresh"),
                asyncio.create_task(server.serve(sockets=[listener]), name="http-api"),
            ]
            if rolls_over(runtime.backend):
                background.append(asyncio.create_task(
                    keep_index_rolled(runtime.backend, self.stop), name="index-rollover"  # type: ignore[arg-type]
                ))
            self._install_signals()
            self.jobs.start(self.config.enabled_feeds)
            log.info("tradewire serving", extra={"url": f"http://{self.host}:{listener.getsockname()[1]}",
                                                 "feeds": len(self.config.enabled_feeds)})
            try:
                await self.stop.wait()
            finally:
                await self._shut_down(server, background)
                REGISTRY.unregister(self.health)
                self.health.close()
                api_outbox.close()
                files.pid.unlink(missing_ok=True)

    def _install_signals(self) -> None:
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, self._request_stop, signum)
        loop.add_signal_handler(signal.SIGHUP, self.reload)

    def _request_stop(self, signum: int) -> None:
        log.info("stopping", extra={"signal": signal.Signals(signum).name})
        self.stop.set()

    def reload(self) -> str | None:
        """Load the configuration again and switch to it; on a mistake keep the running one and return why."""
        assert self.runtime is not None and self.jobs is not None and self.health is not None
        try:
            config = load_config(self.config.config_dir)
        except ConfigError as error:
            self.health.last_reload_error = str(error)
            log.error("reload refused; the running configuration stays in force", extra={"error": str(error)})
            return str(error)
        self.runtime.use_config(config)
        self.config = config
        self.health.last_reload_error = None
        # A feed whose URL changed forgets the old URL's validators (its ETag means nothing to the new one).
        self.runtime.state.feeds.sync((feed.name, feed.url) for feed in config.enabled_feeds)
        self.jobs.use(config.enabled_feeds)
        log.info("configuration reloaded", extra={"feeds": len(config.enabled_feeds), "rules": len(config.alerts.rules)})
        return None

    async def _shut_down(self, server: ApiServer, background: list[asyncio.Task[Any]]) -> None:
        """Within one deadline (server.shutdown_timeout, less a margin for closing the worker processes):
        running polls may finish (60% of it), then the spool is written and due alerts are delivered."""
        loop = asyncio.get_running_loop()
        timeout = self.config.settings.server.shutdown_timeout
        deadline = loop.time() + timeout * 0.9

        def left(share: float = 1.0) -> float:
            return max(0.1, (deadline - loop.time()) * share)

        assert self.runtime is not None and self.jobs is not None
        await self.jobs.stop(timeout * 0.6, cancel_within=left(0.2))
        server.should_exit = True
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(self.runtime.indexer.flush(), timeout=left(0.5))
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(self.runtime.dispatcher.deliver_due(), timeout=left(0.7))
        await asyncio.wait(background, timeout=left())
        for task in background:
            task.cancel()

    def _api_services(self, outbox: Outbox) -> ApiServices:
        assert self.runtime is not None and self.health is not None
        changes = FeedChanges(config_path(self.config.config_dir, "feeds.yaml"), self.reload)
        return ApiServices(
            backend=self.runtime.backend,
            outbox=outbox,
            feeds=lambda: feed_status(self.config),
            add_feed=changes.add,
            remove_feed=changes.remove,
            health=self.health.report,
            screen=StoredScreening(self.config.settings.files.state, self.config.watchlist).report,
        )


def send_reload(data_dir: Path) -> int:
    """Signal the running service (found by its pid file) to reload; returns its pid."""
    pid_file = DataFiles(data_dir).pid
    try:
        pid = int(pid_file.read_text().strip())
        os.kill(pid, signal.SIGHUP)
    except FileNotFoundError:
        raise ServiceError(f"no running service found ({pid_file} does not exist)") from None
    except (ValueError, ProcessLookupError):
        raise ServiceError(f"the service recorded in {pid_file} is not running") from None
    return pid

"""Delivering the outbox: due deliveries are leased, sent, and marked delivered, retried with backoff, or dead."""

from __future__ import annotations

import asyncio
import logging
import random
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from tradewire.search.alerts.channels import DeliveryError, Sender
from tradewire.search.alerts.options import DeliveryOptions
from tradewire.search.alerts.outbox import Delivery, Outbox
from tradewire.search.alerts.rules import AlertsFile

log = logging.getLogger("tradewire.alerts")


@dataclass(slots=True)
class DispatchReport:
    delivered: int = 0
    retrying: int = 0
    dead: int = 0


class Dispatcher:
    def __init__(self, outbox: Outbox, alerts: AlertsFile, *, data_dir: Path, options: DeliveryOptions, user_agent: str) -> None:
        self.outbox = outbox
        self.alerts = alerts
        self.options = options
        self.sender = Sender(data_dir, user_agent)
        self._wake = asyncio.Event()
        self._slots = asyncio.Semaphore(options.concurrency)

    def wake(self) -> None:
        self._wake.set()

    async def close(self) -> None:
        await self.sender.close()

    async def deliver_due(self) -> DispatchReport:
        """One pass: build due digests, then attempt every due delivery once."""
        report = DispatchReport()
        self.outbox.build_digests()
        while True:
            due = self.outbox.claim_due(lease=self.options.lease, limit=100)
            if not due:
                return report
            outcomes = await asyncio.gather(*(self._attempt(delivery) for delivery in due))
            for outcome in outcomes:
                setattr(report, outcome, getattr(report, outcome) + 1)
            if len(due) < 100:
                return report

    async def _attempt(self, delivery: Delivery) -> str:
        channel = self.alerts.channels.get(delivery.channel)
        async with self._slots:
            try:
                if channel is None:
                    raise DeliveryError(f"channel {delivery.channel!r} is no longer configured")
                await self.sender.send(channel, delivery)
            except DeliveryError as error:
                attempts = delivery.attempts + 1
                retry_at = None if attempts >= self.options.max_attempts else datetime.now(timezone.utc) + self._backoff(attempts)
                self.outbox.failed(delivery, str(error), retry_at=retry_at)
                log.warning(
                    "alert delivery failed" if retry_at else "alert delivery dead-lettered",
                    extra={"alert": delivery.alert_id, "channel": delivery.channel, "attempt": attempts, "error": str(error)},
                )
                return "retrying" if retry_at else "dead"
        self.outbox.delivered(delivery)
        log.info("alert delivered", extra={"alert": delivery.alert_id, "channel": delivery.channel})
        return "delivered"

    def _backoff(self, attempts: int) -> timedelta:
        base = self.options.retry_base.total_seconds() * 2 ** (attempts - 1)
        return timedelta(seconds=min(base, self.options.retry_max.total_seconds()) * random.uniform(0.8, 1.2))

    async def run(self, stop: asyncio.Event) -> None:
        """Deliver as alerts arrive and retries fall due, until `stop` is set."""
        while not stop.is_set():
            try:
                await self.deliver_due()
            except Exception:  # a broken pass (e.g. the outbox unwritable for a moment) must not stop delivery for good
                log.exception("alert dispatch pass failed")
            next_due = self.outbox.next_due()
            timeout = 30.0
            if next_due is not None:
                timeout = max(0.05, min(timeout, (next_due - datetime.now(timezone.utc)).total_seconds()))
            self._wake.clear()
            waiters = [asyncio.create_task(self._wake.wait()), asyncio.create_task(stop.wait())]
            await asyncio.wait(waiters, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
            for waiter in waiters:
                waiter.cancel()

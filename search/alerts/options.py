"""How alerts are delivered: attempts, backoff, leases, concurrency (settings.yaml `alerts:`)."""

from __future__ import annotations

from datetime import timedelta

from pydantic import ConfigDict, Field

from tradewire.core.durations import Duration
from tradewire.core.model import Model


class DeliveryOptions(Model):
    model_config = ConfigDict(extra="forbid")

    max_attempts: int = Field(default=8, ge=1)
    retry_base: Duration = timedelta(seconds=30)
    retry_max: Duration = timedelta(hours=1)
    # A delivery being sent is leased this long; a process that dies mid-send leaves it to be retried after.
    lease: Duration = timedelta(minutes=2)
    concurrency: int = Field(default=8, ge=1)

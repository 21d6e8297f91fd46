"""How to reach the index: the Elasticsearch connection options (unset URL: embedded SQLite)."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

from pydantic import ConfigDict, Field, SecretStr, ValidationInfo, field_validator

from tradewire.core.durations import Duration
from tradewire.core.model import Model

_UNITS = {"max_primary_shard_size": (r"\d+(b|kb|mb|gb|tb|pb)", "a size such as 50gb or 500mb"),
          "max_age": (r"\d+(d|h|m|s)", "an age such as 30d or 12h")}


class RolloverOptions(Model):
    """When the alias gets a new write index (Elasticsearch's `_rollover`): any condition met is enough.

    The defaults are Elastic's own ILM defaults, 50 GB per primary shard or 30 days: a shard that size still
    recovers and relocates in minutes, and a month per index keeps a year to a dozen indices, each one more
    place a re-written article is looked up in. Unset a condition with null; none set means no rollover.
    """

    model_config = ConfigDict(extra="forbid")

    max_primary_shard_size: str | None = "50gb"
    max_age: str | None = "30d"
    # Counted as the node counts them: an article and each of its tags (nested documents) count one each.
    max_docs: int | None = Field(default=None, ge=1)
    # How often `serve` asks the node whether a condition is met.
    check_interval: Duration = timedelta(hours=1)

    @field_validator("max_primary_shard_size", "max_age")
    @classmethod
    def _in_elasticsearch_units(cls, value: str | None, info: ValidationInfo) -> str | None:
        pattern, example = _UNITS[info.field_name or ""]
        if value is not None and not re.fullmatch(pattern, value):
            raise ValueError(f"expected {example} in Elasticsearch's units (got {value!r})")
        return value

    def conditions(self) -> dict[str, Any]:
        """The conditions as `_rollover` takes them; empty when every one is unset."""
        named = ("max_primary_shard_size", "max_age", "max_docs")
        return {name: getattr(self, name) for name in named if getattr(self, name) is not None}


class ElasticsearchOptions(Model):
    model_config = ConfigDict(extra="forbid")

    # http(s)://host:port, or several nodes of one cluster separated by commas; empty means the embedded index.
    url: str | None = None
    # The alias searches and writes go through; versioned indices (<index>-000001, ...) sit behind it.
    index: str = Field(default="tradewire-articles", pattern=r"^[a-z0-9][a-z0-9_.-]*$")
    api_key: SecretStr | None = None
    username: str | None = None
    password: SecretStr | None = None
    ca_certs: Path | None = None
    verify_certs: bool = True
    request_timeout: float = Field(default=30.0, gt=0)
    bulk_max_documents: int = Field(default=250, ge=1)
    bulk_max_bytes: int = Field(default=10 * 1024 * 1024, ge=1024)
    # Bulk requests in flight at once while a batch is written (each from its own thread).
    bulk_concurrency: int = Field(default=2, ge=1)
    shards: int = Field(default=1, ge=1)
    # Unset: one replica when the cluster has more than one data node, none on a single node.
    replicas: int | None = Field(default=None, ge=0)
    # How soon new documents become searchable. tradewire refreshes at the end of every run-once cycle itself;
    # a longer interval means less indexing work for the cluster.
    refresh_interval: str = Field(default="5s", pattern=r"^(-1|\d+(ms|s|m))$")
    rollover: RolloverOptions = Field(default_factory=RolloverOptions)

    @field_validator("url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        for url in (part.strip() for part in (value or "").split(",") if part.strip()):
            if not url.startswith(("http://", "https://")):
                raise ValueError(f"must start with http:// or https:// (e.g. http://{url.split('/')[0]})")
        return value

    @property
    def urls(self) -> list[str]:
        """The node URLs: the client spreads requests over them and retries a request on another when one drops."""
        return [part.strip() for part in (self.url or "").split(",") if part.strip()]

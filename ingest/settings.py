"""Settings: `settings.yaml` in the config directory, overridden by TRADEWIRE_* environment variables.

Nested keys use a double underscore (TRADEWIRE_FETCH__MAX_BYTES=5000000), a whole section is JSON
(TRADEWIRE_FETCH='{"retries": 0}'), names are read in any case; the common ones also have short names:
TRADEWIRE_DATA_DIR, TRADEWIRE_ES_URL, TRADEWIRE_ES_INDEX, TRADEWIRE_ES_API_KEY, TRADEWIRE_ES_USERNAME,
TRADEWIRE_ES_PASSWORD, TRADEWIRE_ES_CA_CERTS, TRADEWIRE_ALLOW_PRIVATE_URLS, TRADEWIRE_CONTACT_URL,
TRADEWIRE_API_TOKEN. Short names win over nested ones, and both over settings.yaml.

The environment is merged here rather than by pydantic-settings, which imports asyncio, argparse and a source
for every cloud's secret store: a tenth of what a `tradewire search` imports.
"""

from __future__ import annotations

import json
import os
from datetime import timedelta
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, FilePath, SecretStr, field_validator, model_validator

from tradewire.core.durations import Duration
from tradewire.core.files import DataFiles, data_home
from tradewire.core.model import Model
from tradewire.ingest.errors import ConfigError
from tradewire.search.alerts.options import DeliveryOptions
from tradewire.search.backends.options import ElasticsearchOptions

PREFIX, NESTED = "TRADEWIRE_", "__"
FLAT_ENVIRONMENT = {
    "TRADEWIRE_ES_URL": ("elasticsearch", "url"),
    "TRADEWIRE_ES_INDEX": ("elasticsearch", "index"),
    "TRADEWIRE_ES_API_KEY": ("elasticsearch", "api_key"),
    "TRADEWIRE_ES_USERNAME": ("elasticsearch", "username"),
    "TRADEWIRE_ES_PASSWORD": ("elasticsearch", "password"),
    "TRADEWIRE_ES_CA_CERTS": ("elasticsearch", "ca_certs"),
    "TRADEWIRE_ALLOW_PRIVATE_URLS": ("fetch", "allow_private_urls"),
    "TRADEWIRE_CONTACT_URL": ("fetch", "contact_url"),
    "TRADEWIRE_API_TOKEN": ("server", "token"),
}


class _Section(Model):
    model_config = ConfigDict(extra="forbid")


class FetchOptions(_Section):
    contact_url: str = "https://github.com/tradewire/tradewire"
    user_agent: str | None = None
    connect_timeout: float = Field(default=10.0, gt=0)
    read_timeout: float = Field(default=30.0, gt=0)
    # Whole request, body included: a server dripping a byte a second is cut off here. Time spent queued for one
    # of the host's slots (per_host_concurrency, per_host_interval) is not counted.
    total_timeout: float = Field(default=60.0, gt=0)
    max_redirects: int = Field(default=5, ge=0, le=20)
    max_bytes: int = Field(default=10 * 1024 * 1024, ge=1024)
    per_host_concurrency: int = Field(default=2, ge=1)
    global_concurrency: int = Field(default=64, ge=1)
    # Minimum seconds between two requests to the same host.
    per_host_interval: float = Field(default=0.2, ge=0)
    retries: int = Field(default=2, ge=0, le=10)
    retry_backoff: float = Field(default=0.5, ge=0)
    # A Retry-After longer than this is not waited out within a cycle: the feed is polled again after it.
    max_retry_wait: float = Field(default=30.0, ge=0)
    allow_private_urls: bool = False
    respect_robots_txt: bool = True
    # A CA bundle trusted besides the public CAs (feeds served with certificates of an internal PKI).
    ca_certs: FilePath | None = None

    def agent(self, version: str) -> str:
        return self.user_agent or f"tradewire/{version} (+{self.contact_url})"


class IngestOptions(_Section):
    # Extraction worker processes; 0 means one per CPU core.
    workers: int = Field(default=0, ge=0)
    extraction_timeout: float = Field(default=60.0, gt=0)
    # Tagging a page longer than this gives up: the page is indexed with its text and no tags, said on the
    # document, rather than its worker stopped at `extraction_timeout` and the page tried again.
    tagging_timeout: float = Field(default=20.0, gt=0)
    # Article fetches that fail transiently are retried on later polls this many times before the feed's own text stands in.
    article_attempts: int = Field(default=3, ge=1)
    max_entries_per_feed: int = Field(default=200, ge=1)
    # Articles fetched and processed at once in a cycle.
    article_concurrency: int = Field(default=64, ge=1)
    index_batch_size: int = Field(default=1000, ge=1)
    # After a list refresh that changed the entries in force, the articles fetched this far back are screened again.
    rescreen_window: Duration = timedelta(days=30)

    @model_validator(mode="after")
    def _tagging_within_extraction(self) -> IngestOptions:
        if self.tagging_timeout >= self.extraction_timeout:
            raise ValueError(
                f"tagging_timeout ({self.tagging_timeout:g} s) must be shorter than extraction_timeout "
                f"({self.extraction_timeout:g} s), which covers extraction and tagging together"
            )
        return self


class PollingOptions(_Section):
    default_interval: Duration = timedelta(minutes=15)
    min_interval: Duration = timedelta(minutes=5)
    max_interval: Duration = timedelta(hours=6)
    jitter: float = Field(default=0.1, ge=0, le=0.5)
    failures_before_disable: int = Field(default=10, ge=1)


class ServerOptions(_Section):
    host: str = "127.0.0.1"
    port: int = Field(default=8080, ge=0, le=65535)
    token: SecretStr | None = None
    shutdown_timeout: float = Field(default=30.0, gt=0)


class LoggingOptions(_Section):
    level: str = "INFO"
    json_lines: bool = False


class Settings(_Section):
    data_dir: Path = Field(default_factory=data_home)
    fetch: FetchOptions = Field(default_factory=FetchOptions)
    elasticsearch: ElasticsearchOptions = Field(default_factory=ElasticsearchOptions)
    ingest: IngestOptions = Field(default_factory=IngestOptions)
    polling: PollingOptions = Field(default_factory=PollingOptions)
    server: ServerOptions = Field(default_factory=ServerOptions)
    logging: LoggingOptions = Field(default_factory=LoggingOptions)
    alerts: DeliveryOptions = Field(default_factory=DeliveryOptions)

    @property
    def files(self) -> DataFiles:
        return DataFiles(self.data_dir)

    @field_validator("data_dir", mode="before")
    @classmethod
    def _named(cls, value: Any) -> Any:
        if isinstance(value, str) and not value.strip():  # an empty TRADEWIRE_DATA_DIR would mean the current directory
            raise ValueError("must not be empty (unset it for the default, ~/.local/share/tradewire)")
        return value


def with_environment(document: dict[str, Any]) -> dict[str, Any]:
    """settings.yaml's values (`document`, not changed) with the TRADEWIRE_* environment variables over them.
    A variable naming no setting's section (TRADEWIRE_CONFIG_DIR) is not a setting and is left alone; one naming
    an unknown key inside a section is kept, so that validation refuses it by name."""
    sections = {name.upper(): name for name in Settings.model_fields}
    whole: dict[str, Any] = {}
    nested: dict[str, Any] = {}
    for variable, value in os.environ.items():
        name = variable.upper()
        if not name.startswith(PREFIX) or name in FLAT_ENVIRONMENT:
            continue
        section, _, rest = name.removeprefix(PREFIX).partition(NESTED)
        if section not in sections:
            continue
        field = sections[section]
        if not rest:
            whole[field] = _json(variable, value) if _structured(field) else value
            continue
        if not _structured(field):  # TRADEWIRE_DATA_DIR__X: data_dir has no keys
            continue
        *path, key = rest.lower().split(NESTED)
        target = nested.setdefault(field, {})
        for part in path:
            target = target.setdefault(part, {})
        target[key] = value
    flat: dict[str, Any] = {}
    for variable, (section, key) in FLAT_ENVIRONMENT.items():
        if variable in os.environ:
            flat.setdefault(section, {})[key] = os.environ[variable]
    return _merged(_merged(_merged(document, whole), nested), flat)


def _structured(field: str) -> bool:
    annotation = Settings.model_fields[field].annotation
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def _json(variable: str, value: str) -> Any:
    try:
        return json.loads(value)
    except ValueError as error:
        raise ConfigError(f"environment variable {variable}: a whole section is written as JSON ({error})") from None


def _merged(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """`base` with `over`'s values, mappings merged key by key."""
    merged = dict(base)
    for key, value in over.items():
        below = merged.get(key)
        merged[key] = _merged(below, value) if isinstance(below, dict) and isinstance(value, dict) else value
    return merged


def environment_source(location: tuple[str | int, ...]) -> str | None:
    """The environment variable that set the setting at `location`, if one did."""
    path = tuple(str(part) for part in location)
    for variable, flat_path in FLAT_ENVIRONMENT.items():
        if path[: len(flat_path)] == flat_path and variable in os.environ:
            return variable
    nested = "TRADEWIRE_" + "__".join(part.upper() for part in path)
    for variable in os.environ:
        if variable.upper() == nested or (len(path) > 1 and variable.upper() == "TRADEWIRE_" + path[0].upper()):
            return variable
    return None

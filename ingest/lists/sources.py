"""The sanctions lists tradewire polls (`lists.yaml`): each list's address, format, interval, limits."""

from __future__ import annotations

from datetime import timedelta

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from tradewire.core.durations import Duration
from tradewire.core.names import first_repeated
from tradewire.ingest.feeds.registry import NAME_PATTERN
from tradewire.ingest.fetch.urls import web_url
from tradewire.search.redact import redacted

# Official lists run to tens of megabytes, and aggregated ones further: the feeds' 10 MB cap would refuse them.
DEFAULT_MAX_BYTES = 200 * 1024 * 1024


class ListSource(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(pattern=NAME_PATTERN)
    url: str
    format: str
    title: str | None = None
    interval: Duration = timedelta(days=1)
    max_bytes: int = Field(default=DEFAULT_MAX_BYTES, ge=1024)
    # A refresh that would delist more than this share of the stored entries is taken for a broken file.
    max_delisted_share: float = Field(default=0.2, gt=0, le=1)
    enabled: bool = True

    @field_validator("url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if web_url(value) is None:
            raise ValueError(f"list URL must be http:// or https:// with a host, not {redacted(value)!r}")
        return value

    @field_validator("format")
    @classmethod
    def _known_format(cls, value: str) -> str:
        from tradewire.ingest.lists import FORMATS

        if value not in FORMATS:
            raise ValueError(f"unknown list format {value!r}; known: {', '.join(sorted(FORMATS))}")
        return value

    @field_validator("interval")
    @classmethod
    def _positive(cls, value: timedelta) -> timedelta:
        if value <= timedelta(0):
            raise ValueError("interval must be longer than zero")
        return value

    @property
    def display_url(self) -> str:
        return redacted(self.url)


class ListsFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    lists: list[ListSource] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique(self) -> ListsFile:
        if (twice := first_repeated(source.name for source in self.lists)) is not None:
            raise ValueError(f"list name {twice!r} is used twice")
        return self

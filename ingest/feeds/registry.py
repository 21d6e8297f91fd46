"""The feed list (`feeds.yaml`): its model, and edits that keep the file's comments and layout."""

from __future__ import annotations

import io
from functools import cached_property
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from tradewire.core.durations import Duration, format_duration
from tradewire.core.names import first_repeated
from tradewire.ingest.fetch.urls import origin, web_url
from tradewire.search.redact import redacted

NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$"


class FeedConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(pattern=NAME_PATTERN)
    url: str
    title: str | None = None
    tags: list[str] = Field(default_factory=list)
    interval: Duration | None = None
    min_interval: Duration | None = None
    max_interval: Duration | None = None
    enabled: bool = True
    # Article pages on the feed's own origin (host and port) may be private addresses: an intranet feed.
    allow_private: bool = False

    @field_validator("url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if web_url(value) is None:
            raise ValueError(f"feed URL must be http:// or https:// with a host, not {redacted(value)!r}")
        return value

    @property
    def display_url(self) -> str:
        return redacted(self.url)

    @cached_property
    def origin(self) -> tuple[str, int]:
        """The feed URL's host and port: what its requests may reach when private (see ingest.fetch.guard)."""
        url = web_url(self.url)
        assert url is not None  # validated above
        return origin(url)



class FeedsFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    feeds: list[FeedConfig] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique(self) -> FeedsFile:
        if (twice := first_repeated(feed.name for feed in self.feeds)) is not None:
            raise ValueError(f"feed name {twice!r} is used twice")
        return self


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 120
    return yaml


def add_feed(path: Path, feed: FeedConfig) -> None:
    """Append a feed to `path` (created when missing), keeping what is there."""
    document = _load(path)
    feeds = document.setdefault("feeds", CommentedSeq())
    if any(entry.get("name") == feed.name for entry in feeds):
        raise ValueError(f"a feed named {feed.name!r} already exists in {path}")
    entry = CommentedMap(name=feed.name, url=feed.url)
    if feed.title:
        entry["title"] = feed.title
    if feed.tags:
        entry["tags"] = list(feed.tags)
    if feed.interval:
        entry["interval"] = format_duration(feed.interval)
    if not feed.enabled:
        entry["enabled"] = False
    if feed.allow_private:
        entry["allow_private"] = True
    feeds.append(entry)
    _save(path, document)


def remove_feed(path: Path, name: str) -> None:
    document = _load(path)
    feeds = document.get("feeds") or []
    remaining = [entry for entry in feeds if entry.get("name") != name]
    if len(remaining) == len(feeds):
        raise ValueError(f"no feed named {name!r} in {path}")
    feeds[:] = remaining
    _save(path, document)


def _load(path: Path) -> CommentedMap:
    if not path.exists():
        return CommentedMap(feeds=CommentedSeq())
    document = _yaml().load(path.read_text(encoding="utf-8"))
    return document if isinstance(document, CommentedMap) else CommentedMap(feeds=CommentedSeq())


def _save(path: Path, document: CommentedMap) -> None:
    buffer = io.StringIO()
    _yaml().dump(document, buffer)
    FeedsFile.model_validate(YAML(typ="safe").load(buffer.getvalue()))
    temporary = path.with_suffix(".yaml.tmp")
    temporary.write_text(buffer.getvalue(), encoding="utf-8")
    temporary.replace(path)

"""Alert rules and channels as configured in `config/alerts.yaml`."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator, model_validator

from tradewire.core.durations import Duration
from tradewire.core.names import first_repeated
from tradewire.search.query import Query, QuerySyntaxError, parse_query
from tradewire.search.query.ast import keywords
from tradewire.search.query.fields import ARTICLE_FIELDS


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Secret(_Strict):
    """A secret given inline or, better, by the name of the environment variable that holds it."""

    def resolve_secret(self, value: SecretStr | None, variable: str | None) -> str | None:
        if variable:
            found = os.environ.get(variable)
            if found is None:
                raise ValueError(f"environment variable {variable} is not set")
            return found
        return value.get_secret_value() if value else None


class WebhookChannel(_Secret):
    type: Literal["webhook"]
    url: str
    # "json": the whole alert; "slack": a Slack-compatible {"text", "blocks"} message (also Mattermost, Rocket.Chat).
    format: Literal["json", "slack"] = "json"
    headers: dict[str, str] = Field(default_factory=dict)
    # Optional HMAC-SHA256 signature of the body in X-Tradewire-Signature.
    secret: SecretStr | None = None
    secret_env: str | None = None
    timeout: float = Field(default=10.0, gt=0)

    @field_validator("url")
    @classmethod
    def _http(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError(f"webhook url must start with http:// or https:// (got {value!r})")
        return value


class EmailChannel(_Secret):
    type: Literal["email"]
    host: str
    port: int = Field(default=587, ge=1, le=65535)
    # starttls: upgrade a plain connection (port 587); tls: TLS from the start (port 465); none: local relays only.
    security: Literal["starttls", "tls", "none"] = "starttls"
    username: str | None = None
    password: SecretStr | None = None
    password_env: str | None = None
    sender: str = Field(alias="from")
    to: list[str] = Field(min_length=1)
    timeout: float = Field(default=20.0, gt=0)


class JsonlChannel(_Strict):
    type: Literal["jsonl"]
    # Relative paths are inside the data directory.
    path: Path


class LogChannel(_Strict):
    type: Literal["log"]
    level: Literal["info", "warning", "error"] = "warning"


class AppriseChannel(_Secret):
    """Any service apprise supports (Slack, Teams, Telegram, Discord, ntfy, ...), by apprise URL."""

    type: Literal["apprise"]
    urls: list[SecretStr] = Field(min_length=1)


Channel = Annotated[WebhookChannel | EmailChannel | JsonlChannel | LogChannel | AppriseChannel, Field(discriminator="type")]
Digest = Literal["hourly", "daily"] | Duration


class Rule(_Strict):
    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$")
    query: str = ""
    # The article must carry each of these tags (with at least min_score when set).
    tags: list[str] = Field(default_factory=list)
    min_score: float | None = Field(default=None, ge=0, le=1)
    # Only measures stated as taken count: the rule's tags must have asserted evidence.
    asserted: bool = False
    entities: list[str] = Field(default_factory=list)
    sources: list[str] = Field(default_factory=list)
    channels: list[str] = Field(min_length=1)
    mode: Literal["instant", "digest"] = "instant"
    digest: Digest = "daily"
    # One alert per story per window: syndicated copies arriving meanwhile are listed in it.
    throttle: Duration = timedelta(hours=24)
    enabled: bool = True
    # A designation rule matches the events of list refreshes (new listings by default) instead of articles.
    designations: bool = False
    lists: list[str] = Field(default_factory=list)
    programs: list[str] = Field(default_factory=list)
    events: list[Literal["listed", "delisted", "amended"]] = Field(default_factory=lambda: ["listed"], min_length=1)
    # Only entries (a designation rule) or articles (an article rule) that name a party of config/watchlist.yaml.
    watchlist: bool = False

    @field_validator("query")
    @classmethod
    def _parses(cls, value: str) -> str:
        try:
            parse_query(value)
        except QuerySyntaxError as error:
            raise ValueError(str(error)) from None
        return value

    @model_validator(mode="after")
    def _one_kind(self) -> Rule:
        if self.designations:
            article_keys = [key for key in ("tags", "min_score", "asserted", "entities", "sources")
                            if key in self.model_fields_set]
            if article_keys:
                raise ValueError(f"rule {self.name!r} has designations: true, which matches list designation events, "
                                 f"not articles: remove {', '.join(article_keys)} (or use lists, programs, events, "
                                 f"or a query on designations)")
            article_fields = sorted({keyword.field for keyword in keywords(parse_query(self.query))} & ARTICLE_FIELDS)
            if article_fields:
                raise ValueError(f"rule {self.name!r} has designations: true, but its query names "
                                 f"{', '.join(f + ':' for f in article_fields)}, which only articles have: a designation "
                                 f"never matches it (use list:, program:, event:, entry:, name:)")
        else:
            designation_keys = [key for key in ("lists", "programs", "events") if key in self.model_fields_set]
            if designation_keys:
                raise ValueError(f"rule {self.name!r} sets {', '.join(designation_keys)}, which only designation rules "
                                 f"have: add designations: true")
        return self

    def parsed_query(self) -> Query:
        return parse_query(self.query)

    @property
    def digest_period(self) -> timedelta:
        if self.digest == "hourly":
            return timedelta(hours=1)
        if self.digest == "daily":
            return timedelta(days=1)
        return self.digest  # type: ignore[return-value]


class AlertsFile(_Strict):
    channels: dict[str, Channel] = Field(default_factory=dict)
    rules: list[Rule] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> AlertsFile:
        if (twice := first_repeated(rule.name for rule in self.rules)) is not None:
            raise ValueError(f"rule name {twice!r} is used twice")
        for rule in self.rules:
            unknown = [channel for channel in rule.channels if channel not in self.channels]
            if unknown:
                raise ValueError(f"rule {rule.name!r} names unknown channel(s) {', '.join(unknown)}; "
                                 f"defined: {', '.join(self.channels) or 'none'}")
        return self

    def rule(self, name: str) -> Rule | None:
        return next((rule for rule in self.rules if rule.name == name), None)

"""Load and validate the configuration directory once; a bad file is one clear line, never a traceback.

The directory holds settings.yaml, feeds.yaml, taxonomy.yaml, entities.yaml, alerts.yaml, lists.yaml and
watchlist.yaml; a file absent there falls back to the one shipped in the repository's config/.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel, ValidationError

from tradewire.ingest.errors import ConfigError
from tradewire.ingest.settings import Settings, environment_source, with_environment
from tradewire.search.redact import redacted

if TYPE_CHECKING:  # imported where used: a command that needs only settings.yaml loads none of them
    from tradewire.enrich import Gazetteer, Taxonomy
    from tradewire.ingest.feeds.registry import FeedConfig, FeedsFile
    from tradewire.ingest.lists.sources import ListSource
    from tradewire.ingest.lists.watchlist import WatchedParty
    from tradewire.search.alerts import AlertsFile

SHIPPED_CONFIG_DIR = Path(__file__).resolve().parent.parent / "config"
Model = TypeVar("Model", bound=BaseModel)


@dataclass(frozen=True)
class Config:
    config_dir: Path | None
    settings: Settings
    feeds: list[FeedConfig]
    taxonomy: Taxonomy
    gazetteer: Gazetteer
    alerts: AlertsFile
    lists: list[ListSource]
    watchlist: list[WatchedParty]

    def path(self, name: str) -> Path:
        return config_path(self.config_dir, name)

    @property
    def enabled_feeds(self) -> list[FeedConfig]:
        return [feed for feed in self.feeds if feed.enabled]

    @property
    def enabled_lists(self) -> list[ListSource]:
        return [source for source in self.lists if source.enabled]


def config_path(config_dir: Path | None, name: str) -> Path:
    if config_dir is not None and (config_dir / name).exists():
        return config_dir / name
    return SHIPPED_CONFIG_DIR / name


def editable_config_path(config_dir: Path | None, name: str) -> Path:
    """The file that edits of `name` go to: the config directory's own (created from the shipped one if missing)."""
    if config_dir is None:
        return SHIPPED_CONFIG_DIR / name
    target = config_dir / name
    if not target.exists():
        target.write_text(config_path(None, name).read_text(encoding="utf-8"), encoding="utf-8")
    return target


def load_config(config_dir: Path | None) -> Config:
    from tradewire.enrich import Gazetteer, Taxonomy
    from tradewire.ingest.lists.sources import ListsFile
    from tradewire.ingest.lists.watchlist import WatchlistFile
    from tradewire.search.alerts import AlertsFile

    if config_dir is not None and not config_dir.is_dir():
        raise ConfigError(f"config directory {config_dir} does not exist")
    settings = load_settings(config_dir)
    taxonomy = load_model(config_path(config_dir, "taxonomy.yaml"), Taxonomy)
    alerts_path = config_path(config_dir, "alerts.yaml")
    alerts = load_model(alerts_path, AlertsFile)
    _check_rule_tags(alerts_path, alerts, taxonomy)
    return Config(
        config_dir=config_dir,
        settings=settings,
        feeds=load_feeds(config_path(config_dir, "feeds.yaml")).feeds,
        taxonomy=taxonomy,
        gazetteer=load_model(config_path(config_dir, "entities.yaml"), Gazetteer),
        alerts=alerts,
        lists=load_model(config_path(config_dir, "lists.yaml"), ListsFile).lists,
        watchlist=load_model(config_path(config_dir, "watchlist.yaml"), WatchlistFile).parties,
    )


def load_enrichment(config_dir: Path | None) -> tuple[Taxonomy, Gazetteer]:
    """The taxonomy and the gazetteer alone, for enriching a text (no feeds, rules or settings)."""
    from tradewire.enrich import Gazetteer, Taxonomy

    if config_dir is not None and not config_dir.is_dir():
        raise ConfigError(f"config directory {config_dir} does not exist")
    return (load_model(config_path(config_dir, "taxonomy.yaml"), Taxonomy),
            load_model(config_path(config_dir, "entities.yaml"), Gazetteer))


def _check_rule_tags(path: Path, alerts: AlertsFile, taxonomy: Taxonomy) -> None:
    """A rule naming a tag the taxonomy does not have (`tag:sanction`) would never fire: say so at load."""
    from tradewire.search.query.ast import keywords

    for number, rule in enumerate(alerts.rules):
        named = [*rule.tags, *(k.value for k in keywords(rule.parsed_query()) if k.field in ("tag", "asserted", "lifted") and not k.prefix)]
        unknown = sorted({tag for tag in named if tag not in taxonomy.tags})
        if unknown:
            raise ConfigError(
                f"{display_path(path)}: rules[{number}] ({rule.name}): unknown tag {', '.join(map(repr, unknown))}; "
                f"the taxonomy's tags are {', '.join(taxonomy.tags)}"
            )


def load_settings(config_dir: Path | None) -> Settings:
    path = config_path(config_dir, "settings.yaml")
    try:
        return _settings(path, read_yaml(path) if path.exists() else None)
    except ValidationError:
        pass
    document = read_yaml(path, round_trip=True) if path.exists() else None
    try:
        return _settings(path, document)
    except ValidationError as error:
        detail = error.errors()[0]
        variable = environment_source(detail["loc"])
        if variable is not None:
            raise ConfigError(f"environment variable {variable}: {_message(detail)}") from None
        raise ConfigError(_located(path, document, error)) from None


def _settings(path: Path, document: Any) -> Settings:
    data = document if document is not None else {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping of settings at the top level")
    return Settings.model_validate(with_environment(data))


def load_feeds(path: Path) -> FeedsFile:
    from tradewire.ingest.feeds.registry import FeedsFile

    return load_model(path, FeedsFile)


def load_model(path: Path, model: type[Model]) -> Model:
    try:
        return model.model_validate(read_yaml(path) or {})
    except ValidationError:
        pass
    document = read_yaml(path, round_trip=True)
    try:
        return model.model_validate(document if document is not None else {})
    except ValidationError as error:
        raise ConfigError(_located(path, document, error)) from None


def read_yaml(path: Path, *, round_trip: bool = False) -> Any:
    """A YAML file's content. First with libyaml's C parser (ten times faster than ruamel's round-trip one on
    the shipped config); when that fails, or `round_trip` (the caller reports a mistake), with the round-trip
    parser, which reads YAML 1.2 as ruamel always has and keeps the line of every node. A file libyaml reads
    differently (YAML 1.1's `no` is false) fails validation and is read again the round-trip way. ruamel is
    imported here, not with the module: a search with no settings.yaml reads no YAML."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError

    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: file not found") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot read: {error}") from None
    if not round_trip:
        try:
            return YAML(typ="safe").load(text)
        except Exception:  # noqa: BLE001 - any mistake is reported by the round-trip parser below, with its line
            pass
    try:
        return YAML(typ="rt").load(text)
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f": line {mark.line + 1}" if mark else ""
        problem = error.problem or error.context or "invalid YAML"
        raise ConfigError(f"{path}{where}: YAML syntax error: {problem}") from None


def display_path(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


def _located(path: Path, document: Any, error: ValidationError) -> str:
    details = error.errors()
    detail = details[0]
    location = tuple(detail["loc"])
    line = _line_of(document, location)
    where = f": line {line}" if line else ""
    key = _format_location(location)
    more = f" (and {len(details) - 1} more problem{'s' if len(details) > 2 else ''})" if len(details) > 1 else ""
    return f"{display_path(path)}{where}: {key + ': ' if key else ''}{_message(detail)}{more}"


def _message(detail: dict[str, Any]) -> str:
    location = detail["loc"]
    if detail["type"] == "extra_forbidden":
        return f"unknown key {location[-1]!r}"
    if detail["type"] == "missing":
        return f"missing required key {location[-1]!r}"
    message = str(detail["msg"]).removeprefix("Value error, ")
    if "input" in detail and detail["type"] not in ("model_type", "dict_type", "list_type"):
        value = detail["input"]
        if isinstance(value, str) and "://" in value:
            value = redacted(value)  # a URL may carry credentials
        if isinstance(value, (str, int, float, bool)) and repr(value) not in message:
            message += f" (got {value!r})"
    return message


def _format_location(location: tuple[Any, ...]) -> str:
    text = ""
    for part in location:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _line_of(document: Any, location: tuple[Any, ...]) -> int | None:
    """1-based line of the deepest key or item of `location` that exists in the YAML document."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    line: int | None = None
    node = document
    for part in location:
        if isinstance(node, CommentedMap) and part in node:
            line = node.lc.key(part)[0] + 1
            node = node[part]
        elif isinstance(node, CommentedSeq) and isinstance(part, int) and 0 <= part < len(node):
            line = node.lc.item(part)[0] + 1
            node = node[part]
        else:
            break
    if line is None and isinstance(document, (CommentedMap, CommentedSeq)):
        line = document.lc.line + 1
    return line

"""What every command shares: loading the configuration once, turning known errors into one clear line."""

from __future__ import annotations

import sys
from typing import Any

import click
from rich.console import Console

from ingest.configuration import Config, load_config
from ingest.errors import ConfigError
from ingest.logs import configure_logging
from ingest.state import StateError
from search.alerts import OutboxError
from search.backends import BackendError
from search.query import QuerySyntaxError

# Tables piped to a file or another program get room to breathe instead of 80 columns.
console = Console(highlight=False, soft_wrap=True, width=None if sys.stdout.isatty() else 160)
errors = Console(stderr=True, highlight=False, soft_wrap=True)


class TradewireGroup(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ConfigError as error:
            _fail(f"config error: {error}", 2)
        except QuerySyntaxError as error:
            query = ctx.meta.get("query_text")
            detail = ""
            if query is not None and error.position is not None:
                detail = f"\n  {query}\n  {' ' * error.position}^"
            _fail(f"{error}{detail}", 2)
        except (BackendError, StateError, OutboxError) as error:
            _fail(str(error), 1)


def _fail(message: str, code: int) -> None:
    errors.print(f"tradewire: {message}", markup=False)
    sys.exit(code)


def load(ctx: click.Context, *, log_level: str | None = None) -> Config:
    """The configuration, loaded once per command; logging set up from it."""
    root = ctx.find_root()
    config: Config | None = root.meta.get("config")
    if config is None:
        config = load_config(root.obj["config_dir"])
        root.meta["config"] = config
        verbose = root.obj.get("verbose", 0)
        level = "DEBUG" if verbose > 1 else "INFO" if verbose == 1 else (log_level or config.settings.logging.level)
        configure_logging(level, config.settings.logging.json_lines)
    return config

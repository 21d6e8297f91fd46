"""What every command shares: loading the configuration once, turning known errors into one clear line.

Nothing heavy is imported here: `tradewire --help` and a search import only what they use.
"""

from __future__ import annotations

import gc
import importlib
import sys
from typing import TYPE_CHECKING, Any

import click
from rich.console import Console

if TYPE_CHECKING:
    from tradewire.ingest.configuration import Config
    from tradewire.ingest.settings import Settings

# Tables piped to a file or another program get room to breathe instead of 80 columns.
console = Console(highlight=False, soft_wrap=True, width=None if sys.stdout.isatty() else 160)
errors = Console(stderr=True, highlight=False, soft_wrap=True)

# Each command's module, imported only when the command runs; and its line in `tradewire --help`, kept here so
# that the help imports none of them (tests/ingest/test_cli.py checks each line is the command's own).
COMMANDS: dict[str, tuple[str, str]] = {
    "alerts": ("tradewire.ingest.cli.commands_alerts", "Alerts: recent ones and their delivery status, rule dry runs, replays, dead letters."),
    "demo": ("tradewire.ingest.cli.commands_run", "Serve sample trade-news feeds and pages on 127.0.0.1, ingest them, and show tags, evidence and a search."),
    "enrich": ("tradewire.ingest.cli.commands_enrich", "Run enrichment alone on a text (FILE or - for standard input): tags, evidence, entities, events."),
    "eval": ("tradewire.ingest.cli.commands_eval", "Measure tradewire against labelled data."),
    "feeds": ("tradewire.ingest.cli.commands_feeds", "List, add, remove, import and export feeds; show their state."),
    "index": ("tradewire.ingest.cli.commands_index", "Create, inspect and rebuild the search index."),
    "lists": ("tradewire.ingest.cli.commands_lists", "Sanctions lists: their entries, last refresh and outcome; refresh them now."),
    "reload": ("tradewire.ingest.cli.commands_run", "Ask the running service to reload feeds, taxonomy and alert rules (sends it SIGHUP)."),
    "run-once": ("tradewire.ingest.cli.commands_run", "Poll every enabled feed once, index new and changed articles, print a summary."),
    "screen": ("tradewire.ingest.cli.commands_lists", "Whether NAME is on a sanctions list or the watchlist: each matching entry with its list, programmes, score and why, and each watched party it matches."),
    "search": ("tradewire.ingest.cli.commands_search", "Search the indexed articles with the query language: words, phrases, fields, dates."),
    "serve": ("tradewire.ingest.cli.commands_run", "Run the service: scheduled polling, indexing, alert delivery, the HTTP API and the web page."),
    "show": ("tradewire.ingest.cli.commands_search", "One article with its tags, evidence, entities and events."),
}


class TradewireGroup(click.Group):
    """The root command: its subcommands loaded on use (COMMANDS), known errors as one line."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS:
            return None
        # Importing a command makes objects that live as long as the process: the collector would only walk them
        # over and over (about a tenth of a search's start), so it waits, and then leaves them out for good.
        gc.disable()
        try:
            module = importlib.import_module(COMMANDS[name][0])
        finally:
            gc.freeze()
            gc.enable()
        return next(command for command in module.COMMANDS if command.name == name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with formatter.section("Commands"):
            formatter.write_dl([(name, help_line) for name, (_, help_line) in sorted(COMMANDS.items())])

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except Exception as error:
            if _is(error, "tradewire.ingest.errors", "ConfigError"):
                _fail(f"config error: {error}", 2)
            if _is(error, "tradewire.search.query.parser", "QuerySyntaxError"):
                query = ctx.meta.get("query_text")
                detail = ""
                if query is not None and error.position is not None:  # type: ignore[attr-defined]
                    detail = f"\n  {query}\n  {' ' * error.position}^"  # type: ignore[attr-defined]
                _fail(f"{error}{detail}", 2)
            if any(_is(error, module, name) for module, name in _ONE_LINE_ERRORS):
                _fail(str(error), 1)
            raise


# Failures of the index, the state database and the alert outbox: one line and exit status 1.
_ONE_LINE_ERRORS = (("tradewire.search.backends.base", "BackendError"), ("tradewire.ingest.state", "StateError"),
                    ("tradewire.search.alerts.outbox", "OutboxError"))


def _is(error: Exception, module: str, name: str) -> bool:
    """Whether `error` is `module.name`, without importing the module: an error of a module not loaded cannot
    have been raised."""
    loaded = sys.modules.get(module)
    return loaded is not None and isinstance(error, getattr(loaded, name))


def _fail(message: str, code: int) -> None:
    errors.print(f"tradewire: {message}", markup=False)
    sys.exit(code)


def load(ctx: click.Context, *, log_level: str | None = None) -> Config:
    """The configuration, loaded once per command; logging set up from it."""
    root = ctx.find_root()
    config: Config | None = root.meta.get("config")
    if config is None:
        from tradewire.ingest.configuration import load_config

        config = load_config(root.obj["config_dir"])
        root.meta["config"] = config
        verbose = root.obj.get("verbose", 0)
        level = "DEBUG" if verbose > 1 else "INFO" if verbose == 1 else (log_level or config.settings.logging.level)
        from tradewire.ingest.logs import configure_logging

        configure_logging(level, config.settings.logging.json_lines)
    return config


def settings(ctx: click.Context) -> Settings:
    """settings.yaml alone, for commands that read the index and need no feeds, taxonomy or rules."""
    root = ctx.find_root()
    config: Config | None = root.meta.get("config")
    if config is not None:
        return config.settings
    from tradewire.ingest.configuration import load_settings
    from tradewire.ingest.logs import configure_logging

    loaded = load_settings(root.obj["config_dir"])
    verbose = root.obj.get("verbose", 0)
    configure_logging("DEBUG" if verbose > 1 else "INFO" if verbose == 1 else loaded.logging.level, loaded.logging.json_lines)
    return loaded

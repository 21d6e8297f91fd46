"""The root command: global options; its subcommands (ingest.cli.common.COMMANDS) are loaded when used."""

from __future__ import annotations

import gc
import os
import sys
from pathlib import Path

import click

from tradewire.core.files import demo_home
from tradewire.ingest import __version__
from tradewire.ingest.cli.common import TradewireGroup


@click.group(cls=TradewireGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 110})
@click.version_option(__version__, prog_name="tradewire")
@click.option(
    "--config-dir", type=click.Path(file_okay=False, path_type=Path), envvar="TRADEWIRE_CONFIG_DIR",
    help="Directory with feeds.yaml, taxonomy.yaml, entities.yaml, alerts.yaml, settings.yaml (missing files fall back to the shipped config/).",
)
@click.option(
    "--data-dir", type=click.Path(file_okay=False, path_type=Path), envvar="TRADEWIRE_DATA_DIR",
    help="Where state, the embedded index and the alert outbox live.",
)
@click.option(
    "--demo", is_flag=True,
    help=f"Use what `tradewire demo` left in {demo_home()} (its config/ and data): --config-dir and --data-dir in one.",
)
@click.option("-v", "--verbose", count=True, help="More log output (-v info, -vv debug).")
@click.pass_context
def cli(ctx: click.Context, config_dir: Path | None, data_dir: Path | None, demo: bool, verbose: int) -> None:
    """tradewire: trade-policy news monitoring: feeds in, tagged searchable articles and sanction alerts out."""
    if demo and ctx.invoked_subcommand != "demo":
        if not (demo_home() / "config").is_dir():
            raise click.ClickException(f"no demo data in {demo_home()}: run `tradewire demo` first")
        config_dir, data_dir = demo_home() / "config", demo_home()
    if data_dir is not None:
        # The flag and TRADEWIRE_DATA_DIR are the same setting; settings read it from the environment.
        os.environ["TRADEWIRE_DATA_DIR"] = str(data_dir)
    ctx.obj = {"config_dir": config_dir, "data_dir": data_dir, "verbose": verbose}


def main() -> None:
    try:
        cli(prog_name="tradewire")
    finally:
        # What the command made is left to the process's end as it is: unfrozen, the interpreter's shutdown runs
        # full collections over every object the imports made (0.1-0.2 s of a `show`, more after a run-once).
        gc.freeze()


if __name__ == "__main__":
    sys.exit(main())

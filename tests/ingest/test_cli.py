"""The command line's shape: the root help lists every command with the command's own line, and commands import
only what they use (the speed itself is measured by `bench cli`)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import click

from tests.search.test_backend_contract import DOCUMENTS
from tradewire.core.files import DataFiles
from tradewire.ingest.cli.app import cli
from tradewire.ingest.cli.common import COMMANDS
from tradewire.search.backends.sqlite import SqliteBackend


def test_every_command_is_listed_with_its_own_help_line() -> None:
    context = click.Context(cli)
    for name, (_, line) in COMMANDS.items():
        command = cli.get_command(context, name)
        assert command is not None and command.name == name
        assert line == command.get_short_help_str(limit=1000), f"COMMANDS[{name!r}] is not the command's own help"
    help_text = subprocess.run([sys.executable, "-m", "tradewire", "--help"], capture_output=True, text=True, check=True).stdout
    assert all(name in help_text for name in COMMANDS)


def _modules_loaded_by(*args: str) -> set[str]:
    script = (
        "import json, sys\n"
        "from tradewire.ingest.cli.app import cli\n"
        f"try:\n    cli.main({list(args)!r}, prog_name='tradewire', standalone_mode=False)\n"
        "except SystemExit:\n    pass\n"
        "print(json.dumps(sorted(sys.modules)), file=sys.stderr)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    return set(json.loads(result.stderr.strip().splitlines()[-1]))


def test_help_imports_no_machinery() -> None:
    loaded = _modules_loaded_by("--help")
    heavy = {"trafilatura", "numpy", "httpx", "pydantic", "apsw", "elasticsearch", "luqum", "tradewire.enrich.enricher"}
    assert not heavy & loaded, heavy & loaded


def test_a_search_loads_neither_extraction_nor_enrichment_nor_alerts(tmp_path: Path) -> None:
    index = SqliteBackend(DataFiles(tmp_path).index)
    index.index(DOCUMENTS)
    index.close()
    loaded = _modules_loaded_by("--data-dir", str(tmp_path), "search", "sanctions AND tag:sanctions")
    assert "tradewire.search.backends.sqlite_rank" in loaded, "the search ranked its hits on the embedded index"
    # numpy: a one-search command ranks by bm25() rather than loading the term counts' lengths into arrays.
    unneeded = {"trafilatura", "tradewire.enrich.enricher", "tradewire.ingest.fetch.client", "tradewire.search.alerts.dispatch", "elasticsearch",
                "scipy", "datasketch", "numpy", "pydantic_settings", "ruamel.yaml"}
    assert not unneeded & loaded, unneeded & loaded


def test_show_parses_no_query(tmp_path: Path) -> None:
    index = SqliteBackend(DataFiles(tmp_path).index)
    index.index(DOCUMENTS)
    index.close()
    loaded = _modules_loaded_by("--data-dir", str(tmp_path), "show", DOCUMENTS[0].id)
    assert "tradewire.ingest.cli.article_view" in loaded, "the article was printed"
    unneeded = {"luqum", "tradewire.search.query.parser", "numpy", "pydantic_settings", "ruamel.yaml", "trafilatura"}
    assert not unneeded & loaded, unneeded & loaded

"""`python -m bench NAME|all [--quick] [--write] [--nodes 3]`: run benchmarks and print figure, tradewire, baseline,
ratio, goal, met?"""

from __future__ import annotations

import argparse
import importlib
import sys
import time
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor, wait
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.table import Table

from bench.harness import Row, machine

if TYPE_CHECKING:
    from tests.support.cluster import Cluster

BENCHMARKS = {
    "ingestion": "bench.ingestion",
    "polling": "bench.polling",
    "enrichment": "bench.enrichment",
    "tagging-scale": "bench.tagging_scale",
    "es-indexing": "bench.es_indexing",
    "alert-latency": "bench.alert_latency",
    "search": "bench.search_latency",
    "memory": "bench.memory",
    "screening": "bench.screening",
    "cli": "bench.cli",
}
HEADERS = ["figure", "tradewire", "baseline", "ratio", "goal", "met?"]


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("name", choices=[*BENCHMARKS, "all"])
    parser.add_argument("--quick", action="store_true", help="smaller workloads (a smoke run, not for the record)")
    parser.add_argument("--write", action="store_true", help="write the table to docs/benchmarks.md")
    parser.add_argument("--es-url", help="an Elasticsearch node, or a cluster's nodes separated by commas, to use "
                                         "(default: start deploy/local-es)")
    parser.add_argument("--nodes", type=int, choices=[1, 3], default=1,
                        help="without --es-url: start a single node (1) or the three-node cluster of tests/cluster (3)")
    args = parser.parse_args()
    names = list(BENCHMARKS) if args.name == "all" else [args.name]
    console = Console(width=160)
    rows: list[Row] = []
    started = time.monotonic()
    soak: Future[list[Row]] | None = None
    needed = any(n in ("ingestion", "es-indexing", "search") for n in names)
    with _elasticsearch(args.es_url, needed=needed, nodes=args.nodes) as es_url, \
            ThreadPoolExecutor(1, thread_name_prefix="memory-soak") as background:
        for name in names:
            module = importlib.import_module(BENCHMARKS[name])
            console.print(f"[bold]{name}[/bold]: {module.__doc__.strip().splitlines()[0]}")
            began = time.monotonic()
            options: dict[str, Any] = {}
            if name == "search" and "memory" in names:
                # The memory soak is ten minutes of a service mostly waiting for its feeds: it runs while the
                # search benchmark builds its index, and the timed queries wait for it to end.
                console.print("  (the memory soak starts now, beside the search index being built)")
                soak = background.submit(importlib.import_module(BENCHMARKS["memory"]).run, quick=args.quick, es_url=es_url)
                options["before_queries"] = lambda: wait([soak])
            try:
                if name == "memory" and soak is not None:
                    new = soak.result()
                else:
                    new = module.run(quick=args.quick, es_url=es_url, **options)
            except Exception as error:  # one broken benchmark still leaves the others' figures
                console.print_exception(max_frames=3)
                new = [Row(name, f"failed: {type(error).__name__}: {error}", "—", None, "", False)]
            for row in new:
                for note in row.notes:
                    console.print(f"  {note}", markup=False)
            console.print(f"  ({time.monotonic() - began:.0f} s)")
            rows += new
    table = Table(*HEADERS)
    for row in rows:
        table.add_row(*row.cells())
    console.print(table)
    console.print(f"{machine()}; {time.monotonic() - started:.0f} s in all")
    if args.write:
        _write(rows, args, time.monotonic() - started)
    return 0 if all(row.met for row in rows) else 1


def _elasticsearch(url: str | None, needed: bool, nodes: int):  # type: ignore[no-untyped-def]
    from contextlib import nullcontext

    if url or not needed:
        return nullcontext(url)
    if nodes > 1:
        from tests.support.cluster import local_cluster

        return _urls(local_cluster())
    from tests.support.elastic import local_node

    return local_node()


@contextmanager
def _urls(cluster: AbstractContextManager[Cluster]) -> Iterator[str]:
    with cluster as started:
        yield started.url


def _write(rows: list[Row], args: argparse.Namespace, seconds: float) -> None:
    command = "python -m bench " + " ".join(sys.argv[1:]).replace("--write", "").strip()
    lines = ["| " + " | ".join(HEADERS) + " |", "|" + "---|" * len(HEADERS)]
    lines += ["| " + " | ".join(row.cells()) + " |" for row in rows]
    notes = [f"- {row.figure}: {note}" for row in rows for note in row.notes]
    path = Path(__file__).resolve().parents[1] / "docs" / "benchmarks.md"
    text = path.read_text() if path.exists() else ""
    # A cluster's figures have their own block beside the single node's.
    kind = "results" if args.nodes == 1 and (not args.es_url or "," not in args.es_url) else "results-cluster"
    marker_start, marker_end = f"<!-- {kind} -->", f"<!-- /{kind} -->"
    block = "\n".join([marker_start, f"Command: `{command}` · {machine()} · {seconds / 60:.1f} minutes", "",
                       *lines, "", *notes, marker_end])
    if marker_start in text:
        text = text[: text.index(marker_start)] + block + text[text.index(marker_end) + len(marker_end):]
    else:
        text += "\n" + block + "\n"
    path.write_text(text)


if __name__ == "__main__":
    sys.exit(main())

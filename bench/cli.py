"""The command line's answer times: `tradewire --help`, `search` and `show` on a 100,000-article embedded index,
`enrich FILE`, each a whole process from start to exit, against `python -c pass` in the same run."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.harness import Measure, Row
from bench.search_latency import BATCH
from bench.workloads import Corpus
from tradewire.core.files import DataFiles
from tradewire.search.backends.sqlite import SqliteBackend

DOCUMENTS = 100_000
RUNS = 9
# A data directory that keeps the benchmark's index between runs (built there when it holds none): building the
# 100,000 articles takes minutes on a loaded machine, timing the commands seconds.
KEPT_DATA_DIR = os.environ.get("BENCH_CLI_DATA_DIR")
SEED = Path(__file__).resolve().parents[1] / "ingest" / "demo" / "articles" / "china-us-talks.txt"
TRADEWIRE = Path(sys.executable).parent / "tradewire"
# (figure, arguments, goal in seconds)
COMMANDS: list[tuple[str, list[str], float]] = [
    ("tradewire --help", ["--help"], 0.25),
    ("tradewire search 'sanctions AND tag:sanctions'", ["search", "sanctions AND tag:sanctions"], 0.4),
    ("tradewire show ID", ["show", "{id}"], 0.3),
    ("tradewire enrich FILE (the seed article)", ["enrich", str(SEED)], 1.0),
]


def run(quick: bool = False, es_url: str | None = None) -> list[Row]:
    count = 10_000 if quick else DOCUMENTS
    with tempfile.TemporaryDirectory(prefix="tw-cli-") as tmp:
        data = Path(KEPT_DATA_DIR) if KEPT_DATA_DIR else Path(tmp) / "data"
        article_id = _kept(DataFiles(data), count) if DataFiles(data).index.exists() else _index(DataFiles(data), count)
        env_args = ["--config-dir", str(Path(tmp) / "config"), "--data-dir", str(data)]
        (Path(tmp) / "config").mkdir()
        bare = Measure(_wall([sys.executable, "-c", "pass"]), "s")
        rows = []
        for figure, arguments, goal in COMMANDS:
            command = [str(TRADEWIRE), *env_args, *(word.format(id=article_id) for word in arguments)]
            measured = Measure(_wall(command), "s")
            rows.append(Row(
                f"{figure}, {count:,} articles (s)" if "search" in figure or "show" in figure else f"{figure} (s)",
                measured, bare, measured.median / bare.median, f"≤ {goal} s", measured.median <= goal,
                notes=[f"ratio: to `python -c pass` ({bare.median * 1000:.0f} ms) in the same run"],
            ))
        return rows


def _kept(files: DataFiles, count: int) -> str:
    """The first article's id of an index an earlier run built, after checking it holds the workload."""
    backend = SqliteBackend(files.index)
    try:
        if backend.count() != count:
            raise RuntimeError(f"{files.index} holds {backend.count():,} articles, not the {count:,} of this workload")
    finally:
        backend.close()
    return next(Corpus().articles(1)).id


def _index(files: DataFiles, count: int) -> str:
    backend = SqliteBackend(files.index)
    try:
        backend.ensure_ready()
        corpus = Corpus()
        first = ""
        for start in range(0, count, BATCH):
            batch = list(corpus.articles(min(BATCH, count - start), start=start))
            first = first or batch[0].id
            backend.index(batch)
        return first
    finally:
        backend.close()


def _wall(command: list[str]) -> list[float]:
    """Wall seconds of each run, after one warm-up run (files in the page cache, as for a user's second command)."""
    times = []
    for attempt in range(RUNS + 1):
        began = time.perf_counter()
        finished = subprocess.run(command, capture_output=True, text=True)
        elapsed = time.perf_counter() - began
        if finished.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} exited {finished.returncode}: {finished.stderr[-500:]}")
        if attempt:
            times.append(elapsed)
    return times

"""No process of tradewire's outlives it: `run-once` stopped (SIGTERM) or killed (SIGKILL) while its extraction
workers are busy leaves no worker behind."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support.cli import Tradewire
from tests.support.feeds import item, news_page, rss
from tests.support.service import wait_for
from tradewire.ingest.demo.site import LocalSite

KEYWORDS = ["制裁", "出口管制", "许可证", "实体清单", "商务部", "美国", "中国", "对", "将", "加征", "关税", "谈判", "不会", "解除", "华为"]
WORKERS = 2


def _process(pid: int) -> tuple[int, str, int] | None:
    """(parent pid, state, start time) of a live process, from /proc; None once it is gone or a zombie."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2 :].split()
    if fields[0] in ("Z", "X"):
        return None
    return int(fields[1]), fields[0], int(fields[19])


def _descendants(root: int) -> dict[int, int]:
    """Every live process below `root`, pid -> start time."""
    children: dict[int, list[int]] = {}
    started: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit() and (found := _process(int(entry))) is not None:
            children.setdefault(found[0], []).append(int(entry))
            started[int(entry)] = found[2]
    below, todo = {}, [root]
    while todo:
        for child in children.get(todo.pop(), []):
            below[child] = started[child]
            todo.append(child)
    return below


def _alive(processes: dict[int, int]) -> list[int]:
    return [pid for pid, start in processes.items() if (found := _process(pid)) is not None and found[2] == start]


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_stopping_run_once_with_busy_workers_leaves_no_process(site: LocalSite, tradewire: Tradewire, stop: int) -> None:
    # Pages whose keyword-dense text keeps a worker busy for a minute, one per worker: a worker that outlived
    # run-once until its page was done would still be there when the last check gives up.
    items = []
    for n in range(WORKERS):
        text = "".join(random.Random(n).choices(KEYWORDS, k=500_000))[:1_000_000]
        page = site.url(f"/pages/busy-{n}.html")
        site.put(f"/pages/busy-{n}.html", news_page(f"制裁 {n}", text, canonical=page, seed=n))
        items.append(item(page, f"制裁 {n}"))
    tradewire.feeds({"busy": site.put("/feeds/busy", rss(items), "application/rss+xml")})
    tradewire.settings({"ingest": {"workers": WORKERS, "extraction_timeout": 300, "tagging_timeout": 250}})

    run_once = subprocess.Popen([sys.executable, "-m", "tradewire", "run-once"], env=tradewire.environment(),
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers: dict[int, int] = {}
    try:
        wait_for(lambda: all(any(r.path == f"/pages/busy-{n}.html" for r in site.requests) for n in range(WORKERS)),
                 timeout=60, what="both pages fetched")
        time.sleep(2)  # the pages' texts are in the workers now, each busy for about a minute
        workers = _descendants(run_once.pid)
        assert len(workers) >= WORKERS, workers
        busy = [pid for pid in workers if (found := _process(pid)) is not None and found[1] == "R"]
        assert busy, "the workers are busy when run-once is stopped"

        os.kill(run_once.pid, stop)
        run_once.wait(timeout=60)
        wait_for(lambda: not _alive(workers), timeout=10, what="every worker gone after run-once ended")
    finally:
        run_once.kill()
        for pid in _alive(workers):  # what this test started, should the assertion above have failed
            os.kill(pid, signal.SIGKILL)

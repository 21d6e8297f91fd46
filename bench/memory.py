"""7. Memory over time: `tradewire serve` watching 500 feeds for 10 minutes of accelerated polling.

Workload: 500 RSS feeds on 125 sites (127.2.x.y), served from a separate process; every feed gains a
new item every 2 minutes (each at its own moment), about 2,500 new articles in all, whose news pages
(50–300 KB) are made on request. The service polls each feed every 30 to 60 s (the shipped default is
15 minutes), extracts, enriches and indexes (embedded index), matches an alert rule (`tag:sanctions`, to
a JSON-lines channel), and answers a search through its HTTP API every 10 s. The feeds' first 20 items
count as seen before the start. RSS of the service process and of its extraction workers is read from
/proc every 5 s; start is the reading at 1 minute (after the first polls and the workers' start).
Flat: the end reading is within 10% of the start reading.
"""

from __future__ import annotations

import functools
import json
import signal
import tempfile
import time
import urllib.request
from datetime import datetime, timedelta, timezone
from pathlib import Path

from bench.harness import Row
from bench.httpd import Route
from bench.installation import install, serve
from bench.sites import Routes, free_port, serving
from bench.workloads import FeedItem, page_for, paragraphs, rss_head, rss_items, stories
from tradewire.core.files import DataFiles
from tradewire.ingest.state import State

FEEDS = 500
FEEDS_PER_SITE = 4
ITEMS = 20
NEW_ITEM_EVERY = 120.0
DURATION = 600.0
_PLACEHOLDER = "http://placeholder.invalid/news/page.html"


def host_of(feed: int) -> str:
    site = feed // FEEDS_PER_SITE
    return f"127.2.{site // 250}.{site % 250 + 1}"


def items_at(feed: int, moment: float, started: float, port: int) -> list[FeedItem]:
    """The feed's newest items at `moment`: the first 20 at the start, one more every NEW_ITEM_EVERY seconds."""
    newest = ITEMS - 1 + int((moment - started + NEW_ITEM_EVERY * feed / FEEDS) // NEW_ITEM_EVERY)
    pool = _titles()
    base = datetime(2025, 6, 1, tzinfo=timezone.utc)
    return [
        FeedItem(pool[(feed * 7919 + number) % len(pool)], f"http://{host_of(feed)}:{port}/news/{feed}-{number}.html",
                 base + timedelta(minutes=number), pool[(feed * 7919 + number) % len(pool)])
        for number in range(newest, max(-1, newest - ITEMS), -1)
    ]


@functools.cache
def _titles() -> list[str]:
    return [text.split(". ")[0][:110] for text in paragraphs()]


@functools.cache
def _templates() -> list[bytes]:
    return [page_for(story, _PLACEHOLDER, seed=number) for number, story in enumerate(stories(100, seed=13))]


def page(host: str, path: str) -> bytes | None:
    """The news page at `path`: one of 100 page templates, under its own URL."""
    if not path.startswith("/news/"):
        return None
    number = sum(path.encode()) % 100
    return _templates()[number].replace(_PLACEHOLDER.encode(), f"http://{host}{path}".encode())


def build_feeds(feeds: int, started: float, port: int) -> Routes:
    _templates()
    routes: Routes = {}
    for feed in range(feeds):
        def body(feed: int = feed) -> bytes:
            return rss_head(f"Trade feed {feed}") + rss_items(items_at(feed, time.time(), started, port))
        routes[(host_of(feed), f"/feeds/{feed}.xml")] = Route(body, "application/rss+xml", conditional=False)
    return routes


def run(quick: bool = False, es_url: str | None = None) -> list[Row]:
    feeds, duration = (100, 120.0) if quick else (FEEDS, DURATION)
    port = free_port()
    started = time.time()
    urls = [f"http://{host_of(feed)}:{port}/feeds/{feed}.xml" for feed in range(feeds)]
    with serving(port, build_feeds, feeds, started, port, pages=page), tempfile.TemporaryDirectory(prefix="tw-mem-") as tmp:
        root = Path(tmp)
        config = install(
            root, urls,
            {"polling": {"default_interval": "30s", "min_interval": "30s", "max_interval": "60s"}},
            {"channels": {"file": {"type": "jsonl", "path": "alerts.jsonl"}},
             "rules": [{"name": "sanctions", "query": "tag:sanctions", "channels": ["file"]}]},
        )
        _seed_first_items(root / "data", feeds, started, port)
        service, api = serve(config, root / "serve.log")
        samples: list[tuple[float, float, float]] = []
        searches = 0
        try:
            began = time.monotonic()
            while (elapsed := time.monotonic() - began) < duration:
                if service.poll() is not None:
                    raise RuntimeError(f"tradewire serve exited: {(root / 'serve.log').read_text()[-2000:]}")
                samples.append((elapsed, *_rss_mb(service.pid)))
                if len(samples) % 2 == 0:
                    with urllib.request.urlopen(f"{api}/search?q=tag%3Asanctions", timeout=30) as answer:
                        answer.read()
                    searches += 1
                time.sleep(5)
            indexed = _indexed(api)
        finally:
            service.send_signal(signal.SIGTERM)
            service.wait(timeout=120)
    after_start = [sample for sample in samples if sample[0] >= 60] or samples
    start, end = after_start[0], after_start[-1]
    peak = max(after_start, key=lambda sample: sample[1])
    growth = (end[1] - start[1]) / start[1]
    return [Row(
        f"memory, serve with {feeds} feeds for {duration / 60:.0f} min (MB)",
        f"{start[1]:.0f} → peak {peak[1]:.0f} → {end[1]:.0f} MB", "—", None, "end within 10% of start",
        growth <= 0.10,
        notes=[f"service process {growth:+.1%} from minute 1 to the end; extraction workers "
               f"{start[2]:.0f} → peak {max(s[2] for s in after_start):.0f} → {end[2]:.0f} MB (both together); "
               f"{indexed:,} articles indexed, {searches} searches answered"],
    )]


def _seed_first_items(data_dir: Path, feeds: int, started: float, port: int) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    state = State(DataFiles(data_dir).state)
    try:
        for feed in range(feeds):
            for item in items_at(feed, started, started, port):
                state.entries.mark_done(f"feed-{feed}", item.link, item.link, None)
    finally:
        state.close()


def _rss_mb(pid: int) -> tuple[float, float]:
    """RSS of the process and the sum over its child processes, in MB."""
    children = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        children += (task / "children").read_text().split()
    return _vm_rss(pid), sum(_vm_rss(int(child)) for child in children)


def _vm_rss(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except FileNotFoundError:
        pass
    return 0.0


def _indexed(api: str) -> int:
    with urllib.request.urlopen(f"{api}/search?q=&size=0", timeout=30) as answer:
        return int(json.load(answer)["total"])

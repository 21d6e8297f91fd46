"""2. Polling cycle: 2,000 feeds behind 50 ms of latency, half answering 304, against a sequential feedparser loop.

Workload: 2,000 RSS 2.0 feeds of 20 items (title, link, guid, date, a paragraph of summary; about 12 KB
each) on 500 sites (127.1.x.y, 4 feeds per site), served from a separate process that waits 50 ms before
every response and counts the connections each host has open at once. Half the feeds support
conditional GET and answer 304 to a request with their ETag; the other half send no validators and
regenerate the feed on every request (a new lastBuildDate, the same items), as many CMSs do.
tradewire runs with its default settings (2 connections per host, 0.2 s between requests to a host) in
a process of its own; its state is that of earlier polls (every item seen). The first cycle, which has
no validators yet and parses every feed, is reported; the figure is the median of the next cycles.
Baseline: `for url in urls: feedparser.parse(url)`, the loop a user would otherwise write.
"""

from __future__ import annotations

import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import feedparser

from bench.harness import Measure, Row
from bench.httpd import Route
from bench.installation import install
from bench.sites import Routes, free_port, serving
from bench.workloads import FeedItem, paragraphs, rss, rss_head, rss_items
from tradewire.core.files import DataFiles
from tradewire.ingest.state import State

FEEDS = 2000
FEEDS_PER_SITE = 4
ITEMS = 20
LATENCY = 0.05


def host_of(site: int) -> str:
    return f"127.1.{site // 250}.{site % 250 + 1}"


def plan(feeds: int, port: int) -> list[tuple[str, str, list[FeedItem]]]:
    """(host, path, items) for every feed; seeded, so the serving process and the benchmark agree."""
    rng = random.Random(2)
    pool = paragraphs()
    start = datetime(2025, 6, 1, tzinfo=timezone.utc)
    made = []
    for number in range(feeds):
        host = host_of(number // FEEDS_PER_SITE)
        items = []
        for position in range(ITEMS):
            text = rng.choice(pool)
            link = f"http://{host}:{port}/news/{number}-{position}.html"
            items.append(FeedItem(text.split(". ")[0][:110], link, start + timedelta(minutes=7 * number + position), text[:700]))
        made.append((host, f"/feeds/{number}.xml", items))
    return made


def _regenerated(title: str, items: bytes):  # type: ignore[no-untyped-def]
    return lambda: rss_head(title, datetime.now(timezone.utc)) + items


def build_feeds(feeds: int, port: int) -> Routes:
    routes: Routes = {}
    for number, (host, path, items) in enumerate(plan(feeds, port)):
        title = f"Trade feed {number}"
        if number % 2 == 0:
            routes[(host, path)] = Route(rss(title, items), "application/rss+xml")
        else:
            routes[(host, path)] = Route(_regenerated(title, rss_items(items)), "application/rss+xml", conditional=False)
    return routes


def run(quick: bool = False, es_url: str | None = None) -> list[Row]:
    feeds = 400 if quick else FEEDS
    port = free_port()
    feed_plan = plan(feeds, port)
    urls = [f"http://{host}:{port}{path}" for host, path, _ in feed_plan]
    with serving(port, build_feeds, feeds, port, latency=LATENCY) as served, tempfile.TemporaryDirectory(prefix="tw-poll-") as tmp:
        config_dir = install(Path(tmp), urls)
        _seed_seen_entries(Path(tmp) / "data", feed_plan)
        served.stats(reset=True)
        cycles = _tradewire_cycles(config_dir, 2 if quick else 4)
        tradewire_server = served.stats(reset=True)
        baseline_seconds, baseline_rss = _sequential_loop(urls)
        baseline_server = served.stats(reset=True)
    first, measured = cycles[0], cycles[1:]
    for cycle in cycles:
        if cycle["new"] or cycle["feeds"]["failed"]:
            raise RuntimeError(f"a polling cycle found new entries or failed feeds: {cycle}")
    seconds = Measure([cycle["seconds"] for cycle in measured], "s")
    peak_rss = max(cycle["peak_rss_mb"] for cycle in cycles)
    ratio = baseline_seconds / seconds.median
    per_host = tradewire_server["peak_connections_per_host"]
    last = measured[-1]["feeds"]
    return [
        Row(f"polling cycle, {feeds:,} feeds (s)", seconds, Measure([baseline_seconds], "s"), ratio, "≥ 50×", ratio >= 50,
            notes=[f"cycle outcomes: {last['not-modified']} unchanged (304 or same entries), {last['ok']} parsed; "
                   f"first cycle (no validators, every feed parsed): {first['seconds']:.2f} s, "
                   f"{baseline_seconds / first['seconds']:.0f}× the loop; the loop peaked at {baseline_rss:.0f} MB"]),
        Row("polling, peak RSS (MB)", f"{peak_rss:.0f} MB", "—", None, "≤ 300 MB", peak_rss <= 300),
        Row("polling, connections per host", f"peak {per_host}", f"peak {baseline_server['peak_connections_per_host']}",
            None, "≤ 2", per_host <= 2,
            notes=[f"tradewire's {len(cycles)} cycles: {tradewire_server['requests']:,} requests, "
                   f"{tradewire_server['not_modified']:,} answered 304"]),
    ]


def _seed_seen_entries(data_dir: Path, feed_plan: list[tuple[str, str, list[FeedItem]]]) -> None:
    """The state earlier polls leave: every item of every feed already taken."""
    data_dir.mkdir(parents=True, exist_ok=True)
    state = State(DataFiles(data_dir).state)
    try:
        for number, (_, _, items) in enumerate(feed_plan):
            for item in items:
                state.entries.mark_done(f"feed-{number}", item.link, item.link, None)
    finally:
        state.close()


def _tradewire_cycles(config_dir: Path, count: int) -> list[dict]:  # type: ignore[type-arg]
    result = subprocess.run(
        [sys.executable, "-m", "bench.cycle", str(config_dir), str(count)],
        capture_output=True, text=True, check=False, cwd=Path(__file__).resolve().parents[1],
    )
    if result.returncode != 0:
        raise RuntimeError(f"tradewire's cycles failed:\n{result.stderr[-3000:]}")
    return [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]


def _sequential_loop(urls: list[str]) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    for url in urls:
        parsed = feedparser.parse(url)
        if parsed.get("status") != 200 or len(parsed.entries) != ITEMS:
            raise RuntimeError(f"the baseline could not read {url}: {parsed.get('bozo_exception')}")
    return time.perf_counter() - started, max(before, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)

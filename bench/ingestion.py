"""1. Ingestion throughput: feed entry to indexed document, against bare single-process extraction of the same pages.

Workload: 240 news pages (50–300 KB) on 60 sites (127.0.0.x), each site with an RSS feed listing its 4
pages, as uneven as real sites' (bench.workloads.varied_page_for: bare-div layouts, briefs, long features,
Chinese, German and Spanish pages beside ordinary ones); tradewire runs one cycle with its default settings (2 requests per host, 0.2 s apart; one
extraction worker per core), from feed fetch to documents in the index; the index is prepared before the
clock starts, as `tradewire serve` prepares it before its first cycle. Baseline: the bare call a user
would otherwise run, `trafilatura.bare_extraction(html, url=url)` with its defaults, over the same page
bytes in one process. Also reported: that call with tradewire's own options (metadata on, comments
off: a news monitor does not index reader comments), which is faster. After a warm-up of 20 pages, three
rounds each measure every side once (the baseline first), and each side's median counts.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import trafilatura

from bench.elastic import drop_alias
from bench.harness import Measure, Row
from bench.httpd import Route
from bench.installation import install
from bench.sites import Routes, free_port, serving
from bench.workloads import FeedItem, rss, stories, varied_page_for
from tradewire.core.files import DataFiles
from tradewire.enrich.language import load_model, model_copy_dir
from tradewire.ingest.configuration import Config, load_config
from tradewire.ingest.runtime import open_runtime
from tradewire.search.backends.sqlite import SqliteBackend

PAGES = 240
SITES = 60


def site_of(number: int, sites: int) -> str:
    return f"127.0.0.{number % sites + 2}"


def build_pages(count: int, sites: int, port: int) -> Routes:
    """Every page and every site's feed, the sites on 127.0.0.2 upwards, all on `port`."""
    pages: Routes = {}
    per_site: dict[str, list[FeedItem]] = {}
    for number, story in enumerate(stories(count)):
        host = site_of(number, sites)
        url = f"http://{host}:{port}/news/{story.slug}.html"
        pages[(host, f"/news/{story.slug}.html")] = Route(varied_page_for(story, url, seed=number))
        per_site.setdefault(host, []).append(FeedItem(story.title, url, story.published, story.title))
    for host, entries in per_site.items():
        pages[(host, "/feed.xml")] = Route(rss(f"site {host}", entries), "application/rss+xml")
    return pages


def _config(root: Path, feeds: list[str], es_url: str | None, index: str) -> Config:
    settings = {"elasticsearch": {"url": es_url, "index": index}} if es_url else {}
    return load_config(install(root, feeds, settings))


async def _cycle(config: Config) -> tuple[float, int]:
    async with open_runtime(config) as runtime:
        # What `tradewire serve` does before its first cycle: start the workers, prepare the index.
        await runtime.workers.warm_up()
        await asyncio.to_thread(runtime.backend.ensure_ready)
        started = time.perf_counter()
        await runtime.run_cycle(config.enabled_feeds)
        return time.perf_counter() - started, runtime.indexer.indexed_total


def run(quick: bool = False, es_url: str | None = None) -> list[Row]:
    count = 60 if quick else PAGES
    sites = 15 if quick else SITES
    port = free_port()
    with serving(port, build_pages, count, sites, port) as served:
        feeds = [f"http://{host}:{port}/feed.xml" for host in served.hosts]
        pages = [(f"http://{host}:{port}{path}", route.body) for (host, path), route in build_pages(count, sites, port).items()
                 if path != "/feed.xml"]
        return _measure(count, feeds, pages, es_url, quick)


def _measure(count: int, feeds: list[str], pages: list[tuple[str, bytes]], es_url: str | None, quick: bool) -> list[Row]:
    """Each round measures every side once, baseline first: a slow spell of the machine falls on all sides
    of a round rather than on whichever side was measured during it."""
    def extraction_rate(**options: object) -> float:
        started = time.perf_counter()
        for url, body in pages:
            trafilatura.bare_extraction(body, url=url, **options)
        return count / (time.perf_counter() - started)

    def cycle_rate(url: str | None, index: str) -> float:
        with tempfile.TemporaryDirectory(prefix="tw-bench-") as tmp:
            elapsed, indexed = asyncio.run(_cycle(_config(Path(tmp), feeds, url, index)))
        if url:
            drop_alias(url, index)
        if indexed != count:
            raise RuntimeError(f"expected {count} indexed articles, got {indexed}")
        return count / elapsed

    def run_once_rate() -> float:
        """`tradewire run-once` as a user runs it: a whole process, start-up and worker start included."""
        with tempfile.TemporaryDirectory(prefix="tw-bench-") as tmp:
            config = install(Path(tmp), feeds)
            env = {k: v for k, v in os.environ.items() if not k.startswith("TRADEWIRE_")}
            started = time.perf_counter()
            subprocess.run([sys.executable, "-m", "tradewire", "--config-dir", str(config), "run-once"], env=env,
                           check=True, capture_output=True)
            elapsed = time.perf_counter() - started
            indexed = SqliteBackend(DataFiles(Path(tmp) / "data").index)
            try:
                if indexed.count() != count:
                    raise RuntimeError(f"run-once indexed {indexed.count()} articles, expected {count}")
            finally:
                indexed.close()
        return count / elapsed

    for url, body in pages[:20]:  # warm-up: trafilatura's first calls set up its parsers
        trafilatura.bare_extraction(body, url=url)
    # The language model's uncompressed copy in the user's cache, which the first run on a machine makes (once, 0.6-0.9
    # s) and every later process reads: made here, so that no measured run is the one that makes it.
    load_model()
    backends = [("embedded", None)] + ([("Elasticsearch", es_url)] if es_url else [])
    base: list[float] = []
    same_options: list[float] = []
    rates: dict[str, list[float]] = {name: [] for name, _ in backends}
    whole: list[float] = []
    for attempt in range(1 if quick else 3):
        base.append(extraction_rate())
        same_options.append(extraction_rate(with_metadata=True, include_comments=False))
        for name, url in backends:
            rates[name].append(cycle_rate(url, f"bench-ingest-{os.getpid()}-{attempt}"))
        whole.append(run_once_rate())
    rows = []
    for name, _ in backends:
        ratio = Measure(rates[name], "").median / Measure(base, "").median
        against_same = Measure(rates[name], "").median / Measure(same_options, "").median
        rows.append(Row(
            f"ingestion, {name} (articles/s, {count} pages)", Measure(rates[name], "/s"), Measure(base, "/s"),
            ratio, "≥ 1.6×", ratio >= 1.6,
            notes=[f"bare_extraction with tradewire's options runs at {Measure(same_options, '/s').show()}: "
                   f"tradewire is {against_same:.2f}× that"],
        ))
    ratio = Measure(whole, "").median / Measure(base, "").median
    rows.append(Row(
        f"ingestion, `tradewire run-once` as a whole process (articles/s, {count} pages)", Measure(whole, "/s"),
        Measure(base, "/s"), ratio, "≥ 1.6×", ratio >= 1.6,
        notes=["process start, configuration, worker start and the index's creation included (a fresh data directory "
               f"each run); the language model read from its copy {model_copy_dir()}, as after a machine's first run; "
               "baseline in-process"],
    ))
    return rows

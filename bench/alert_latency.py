"""5. Alert latency: from an article page's fetch completing to the webhook receiver getting its alert.

Workload: `tradewire serve` in its own process (default settings, but feeds polled every second) watches
3 feeds on a local site; every 1.5 s the benchmark publishes a new article on sanctions (trade-news
sentences, 3–4 KB of text in a full news page) to one of them, 40 in all. The site notes the moment it
has sent an article page's last byte; a local webhook receiver notes the moment the alert arrives
(both on the system-wide monotonic clock). Rule: `tag:sanctions`, delivered to the webhook. What lies
between: the feed poll's article fetch ends, extraction and enrichment in a worker process, the rule
match, the outbox write, the HTTP POST.
"""

from __future__ import annotations

import itertools
import json
import signal
import statistics
import tempfile
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler
from pathlib import Path

from bench.harness import Row, percentile
from bench.installation import install, serve
from bench.workloads import Corpus, FeedItem, Story, page_for, rss
from tradewire.ingest.demo.site import LocalSite

ARTICLES = 40
FEEDS = 3
EVERY = 1.5


class Clock:
    """When each page's last byte went out, and when each alert came in, by article URL."""

    def __init__(self) -> None:
        self.sent: dict[str, float] = {}
        self.alerted: dict[str, float] = {}
        self.lock = threading.Lock()

    def page(self, body: bytes):  # type: ignore[no-untyped-def]
        def handle(request: BaseHTTPRequestHandler) -> None:
            request.send_response(200)
            request.send_header("Content-Type", "text/html; charset=utf-8")
            request.send_header("Content-Length", str(len(body)))
            request.end_headers()
            request.wfile.write(body)
            request.wfile.flush()
            with self.lock:
                self.sent.setdefault(request.path, time.monotonic())
        return handle

    def hook(self, request: BaseHTTPRequestHandler) -> None:
        arrived = time.monotonic()
        alert = json.loads(request.rfile.read(int(request.headers.get("Content-Length", 0))))
        with self.lock:
            self.alerted.setdefault(urllib.parse.urlsplit(alert["url"]).path, arrived)
        request.send_response(200)
        request.send_header("Content-Length", "0")
        request.end_headers()


def run(quick: bool = False, es_url: str | None = None) -> list[Row]:
    count = 10 if quick else ARTICLES
    sanctions = (article for article in Corpus().articles(count * 50) if any(t.name == "sanctions" for t in article.tags))
    articles = list(itertools.islice(sanctions, count))
    if len(articles) < count:
        raise RuntimeError(f"the corpus gave only {len(articles)} articles on sanctions")
    clock = Clock()
    with LocalSite() as site, tempfile.TemporaryDirectory(prefix="tw-alerts-") as tmp:
        site.handlers["/hook"] = clock.hook
        items: list[list[FeedItem]] = [[] for _ in range(FEEDS)]
        for number in range(FEEDS):
            site.put(f"/feeds/{number}.xml", rss(f"feed {number}", []), "application/rss+xml")
        config = install(
            Path(tmp), [site.url(f"/feeds/{number}.xml") for number in range(FEEDS)],
            {"polling": {"default_interval": "1s", "min_interval": "1s", "max_interval": "1s", "jitter": 0}},
            {"channels": {"hook": {"type": "webhook", "url": site.url("/hook")}},
             "rules": [{"name": "sanctions", "query": "tag:sanctions", "channels": ["hook"]}]},
        )
        service, _ = serve(config, Path(tmp) / "serve.log")
        try:
            for number, article in enumerate(articles):
                path = f"/news/{number}.html"
                story = Story(f"alert-{number}", article.title, article.text, article.published)  # type: ignore[arg-type]
                site.handlers[path] = clock.page(page_for(story, site.url(path), seed=number))
                feed = items[number % FEEDS]
                feed.insert(0, FeedItem(article.title, site.url(path), article.published, article.title))  # type: ignore[arg-type]
                site.put(f"/feeds/{number % FEEDS}.xml", rss(f"feed {number % FEEDS}", feed), "application/rss+xml")
                time.sleep(EVERY)
            deadline = time.monotonic() + 60
            while len(clock.alerted) < count and time.monotonic() < deadline:
                time.sleep(0.2)
        finally:
            service.send_signal(signal.SIGTERM)
            service.wait(timeout=60)
    missing = [path for path in clock.sent if path not in clock.alerted]
    if missing or len(clock.sent) < count:
        raise RuntimeError(f"{len(clock.sent)} pages fetched, {len(clock.alerted)} alerts; none for {missing[:5]}")
    latencies = [clock.alerted[path] - clock.sent[path] for path in clock.sent]
    p95 = percentile(latencies, 0.95)
    return [Row(f"alert latency, {count} articles (s)", f"p95 {p95:.2f} s", "—", None, "p95 ≤ 1 s", p95 <= 1,
                notes=[f"median {statistics.median(latencies):.2f} s, max {max(latencies):.2f} s"])]

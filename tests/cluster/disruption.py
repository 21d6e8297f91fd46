"""What the node-loss tests share: news published in waves on 127.0.0.1, `tradewire serve` writing it to the
cluster with a webhook alert per story, searches watched from a thread, and the checks of what came out."""

from __future__ import annotations

import json
import random
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from elasticsearch.helpers import scan

from tests.ingest.test_service import SANCTION_TEXT
from tests.search.test_backend_contract import DOCUMENTS
from tests.support.cli import Tradewire
from tests.support.cluster import Cluster
from tests.support.elastic import drop_alias, fresh_backend, unique_alias
from tests.support.feeds import item, news_page, rss
from tests.support.receivers import WebhookReceiver
from tests.support.service import FAST_POLLING, Served, wait_for
from tradewire.ingest.demo.site import LocalSite
from tradewire.search.backends import BackendError
from tradewire.search.backends.elastic import ElasticsearchBackend
from tradewire.search.query import parse_query
from tradewire.search.results import SearchRequest

FEEDS = 10
SHARDS = 3  # one primary per node: whichever node goes down, a primary fails over
PROBE_DOCUMENTS = 30
_WORDS = ("port", "refinery", "tanker", "cargo", "bank", "insurer", "shipyard", "broker", "terminal", "pipeline")


def story(n: int) -> str:
    """A sanctions story of its own: a hundred drawn words, so no two of a thousand are taken for copies of one
    (their signatures share at most 0.28 of their values; copies share 0.5 or more and make one alert)."""
    draw = random.Random(n)
    details = " ".join(f"{draw.choice(_WORDS)}{draw.randrange(1000)}" for _ in range(100))
    return SANCTION_TEXT.format(n=n) + " Details: " + details + "."


@dataclass
class Wire:
    """FEEDS feeds on one local site; `publish` adds distinct sanctions stories to them, round-robin."""

    site: LocalSite
    pages: list[str] = field(default_factory=list)
    _items: dict[int, list[dict[str, str]]] = field(default_factory=dict)

    def feed_urls(self) -> dict[str, str]:
        return {f"wire-{feed}": self.site.url(f"/wire-{feed}.xml") for feed in range(FEEDS)}

    def publish(self, count: int) -> None:
        for n in range(len(self.pages), len(self.pages) + count):
            title = f"Treasury sanctions refiners, story {n}"
            url = self.site.put(f"/news/{n}.html", news_page(title, story(n), canonical=self.site.url(f"/news/{n}.html"), seed=n))
            self.pages.append(url)
            self._items.setdefault(n % FEEDS, []).insert(0, item(url, title))
        for feed, items in self._items.items():
            self.site.put(f"/wire-{feed}.xml", rss(items, title=f"wire {feed}"), "application/rss+xml")


@dataclass(frozen=True)
class Answer:
    total: int | None  # None: the search failed
    partial: bool
    error: str = ""


@dataclass
class Watch:
    """Searches, from a thread, until stopped: the service's /search and /healthz, and a probe index of three
    shards without replicas, one on each node, so a node down leaves it a shard short."""

    served: Served
    probe: ElasticsearchBackend
    searches: list[Answer] = field(default_factory=list)
    probes: list[Answer] = field(default_factory=list)
    health: Counter[str] = field(default_factory=Counter)
    _stop: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        while not self._stop.wait(0.2):
            self.searches.append(self._service_search())
            self.probes.append(self._probe_search())
            self.health[self._healthz()] += 1

    def mark(self) -> tuple[int, int]:
        return len(self.searches), len(self.probes)

    def stop(self) -> None:
        self._stop.set()

    def _service_search(self) -> Answer:
        try:
            with urllib.request.urlopen(self.served.url + "/search?q=tag:sanctions&size=1", timeout=30) as response:
                found = json.loads(response.read())
            return Answer(found["total"], found["partial"])
        except (urllib.error.URLError, OSError, ValueError) as error:
            return Answer(None, False, f"{type(error).__name__}: {error}")

    def _probe_search(self) -> Answer:
        try:
            found = self.probe.search(SearchRequest(query=parse_query(""), size=1, facets=False))
            return Answer(found.total, found.partial)
        except BackendError as error:  # recorded, and the test fails on it
            return Answer(None, False, f"{type(error).__name__}: {error}")

    def _healthz(self) -> str:
        try:
            with urllib.request.urlopen(self.served.url + "/healthz", timeout=30) as response:
                return str(json.loads(response.read())["status"])
        except urllib.error.HTTPError as error:  # 503: degraded or failing, said in the body
            return str(json.loads(error.read()).get("status"))
        except (urllib.error.URLError, OSError) as error:
            return f"unreachable: {error}"


@dataclass
class Ingest:
    cluster: Cluster
    wire: Wire
    served: Served
    receiver: WebhookReceiver
    alias: str
    watch: Watch

    def current_index(self) -> str:
        with self.cluster.client() as client:
            return next(iter(client.indices.get_alias(name=self.alias)))

    def indexed(self) -> int:
        with self.cluster.client() as client:
            return int(client.count(index=self.alias)["count"])

    def wait_indexed(self, at_least: int, what: str, timeout: float = 180) -> None:
        wait_for(lambda: self.indexed() >= at_least, timeout=timeout, interval=0.5,
                 what=f"{at_least} articles indexed {what} ({self.served.log_path})")

    def documents(self) -> list[tuple[str, str]]:
        """(id, url) of every document behind the alias."""
        with self.cluster.client() as client:
            client.indices.refresh(index=self.alias)
            return [(hit["_id"], hit["_source"]["url"]) for hit in scan(client, index=self.alias, _source=["url"])]

    def check_everything_arrived_once(self) -> None:
        """Every page indexed exactly once (by id and by URL), every story alerted exactly once (by idempotency key),
        searches answered throughout."""
        published = len(self.wire.pages)
        self.wait_indexed(published, "in all")
        documents = self.documents()
        by_id, by_url = Counter(i for i, _ in documents), Counter(url for _, url in documents)
        assert len(by_id) == published and max(by_id.values()) == 1 and len(documents) == published
        assert set(by_url) == set(self.wire.pages), set(self.wire.pages) ^ set(by_url)
        assert max(by_url.values()) == 1
        wait_for(lambda: len(self.receiver.unique_keys()) >= published, timeout=120, interval=0.5,
                 what=f"an alert per story ({len(self.receiver.unique_keys())} so far)")
        time.sleep(4)  # two more polling cycles: nothing may be sent again
        keys = Counter(headers["Idempotency-Key"] for headers in self.receiver.headers)
        assert len(keys) == published and max(keys.values()) == 1, keys.most_common(3)
        alerted = {alert["url"] for alert in self.receiver.received}
        assert alerted == set(self.wire.pages)
        failed = [answer.error for answer in self.watch.searches + self.watch.probes if answer.total is None]
        assert not failed, failed[:5]
        assert "Traceback" not in self.served.log(), self.served.log()[-3000:]


@contextmanager
def ingesting(cluster: Cluster, site: LocalSite, tradewire: Tradewire, *, first_wave: int) -> Iterator[Ingest]:
    """`tradewire serve` on the cluster (all three URLs, three shards, a replica each), polling the wire every
    two seconds, alerting a webhook on every sanctions story; the watch searching from its thread. The
    first `first_wave` stories are on the wire when the service starts."""
    alias = unique_alias()
    wire = Wire(site)
    receiver = WebhookReceiver(site)
    tradewire.settings(FAST_POLLING | {"server": {"shutdown_timeout": 10}})
    tradewire.feeds(wire.feed_urls(), interval="2s")
    tradewire.write("alerts.yaml", {"channels": {"hook": {"type": "webhook", "url": receiver.url}},
                                    "rules": [{"name": "sanctions", "query": "tag:sanctions", "channels": ["hook"]}]})
    tradewire.env.update({"TRADEWIRE_ES_URL": cluster.url, "TRADEWIRE_ES_INDEX": alias,
                          "TRADEWIRE_ELASTICSEARCH__SHARDS": str(SHARDS)})
    wire.publish(first_wave)
    with fresh_backend(cluster.url, shards=3, replicas=0) as probe:
        probe.client.indices.put_settings(index=probe.alias, settings={"index.routing.allocation.total_shards_per_node": 1})
        probe.index([d.model_copy(update={"id": f"probe-{n}"}) for n in range(PROBE_DOCUMENTS) for d in DOCUMENTS[:1]])
        probe.refresh()
        cluster.wait_for_green()
        served = Served(tradewire).start()
        watch = Watch(served, probe)
        watching = threading.Thread(target=watch.run, name="search-watch", daemon=True)
        watching.start()
        try:
            yield Ingest(cluster, wire, served, receiver, alias, watch)
        finally:
            watch.stop()
            watching.join(timeout=60)
            served.stop()
            drop_alias(cluster.url, alias)

"""Faults: the index stopped mid-run, a full disk, a read-only data directory, mail servers down then up."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from elasticsearch import Elasticsearch

from tests.support.cli import Tradewire
from tests.support.elastic import LOCAL_ES, drop_alias, unique_alias
from tests.support.feeds import item, news_page, rss
from tests.support.receivers import free_port, smtp_server
from tests.support.service import FAST_POLLING, Served, wait_for
from tradewire.ingest.demo.site import LocalSite

WORDS = ("port", "refinery", "tanker", "cargo", "bank", "insurer", "shipyard", "broker", "terminal", "pipeline")


def distinct_story(n: int) -> str:
    details = " ".join(f"{WORDS[(n + i) % len(WORDS)]}{(n * 13 + i * 7) % 101}" for i in range(70))
    return (f"The U.S. Treasury imposed sanctions on refiner number {n} on Tuesday, freezing its assets. "
            f"China's Ministry of Commerce opposed the sanctions. Details: {details}.")


def publish(site: LocalSite, count: int, *, held_from: int | None = None, gate: threading.Event | None = None) -> None:
    """`count` distinct sanction stories behind one feed; pages from `held_from` on wait for `gate` to open."""
    items = []
    for n in range(count):
        url = site.url(f"/news/{n}.html")
        body = news_page(f"Refiner {n} sanctioned", distinct_story(n), canonical=url, seed=n).encode()
        if gate is not None and held_from is not None and n >= held_from:
            def handler(request, body=body):  # type: ignore[no-untyped-def]
                gate.wait(timeout=300)
                request.send_response(200)
                request.send_header("Content-Type", "text/html")
                request.send_header("Content-Length", str(len(body)))
                request.end_headers()
                request.wfile.write(body)
            site.handlers[f"/news/{n}.html"] = handler
        else:
            site.put(f"/news/{n}.html", body)
        items.append(item(url, f"Refiner {n} sanctioned"))
    site.put("/feed.xml", rss(items), "application/rss+xml")


@pytest.fixture
def second_node(tmp_path: Path) -> Iterator[dict[str, str]]:
    """A node of its own, so this test can stop and start it without disturbing the others."""
    env = {**os.environ, "TRADEWIRE_LOCAL_ES_PORT": str(free_port()), "TRADEWIRE_LOCAL_ES_HOME": str(tmp_path / "es"),
           "TRADEWIRE_LOCAL_ES_HEAP": "512m"}
    started = subprocess.run([LOCAL_ES, "start"], env=env, capture_output=True, text=True, timeout=600)
    assert started.returncode == 0, started.stderr
    env["URL"] = started.stdout.strip().splitlines()[-1]
    try:
        yield env
    finally:
        subprocess.run([LOCAL_ES, "stop"], env=env, capture_output=True, timeout=120)


def test_elasticsearch_stopped_mid_run_loses_and_duplicates_nothing(
    site: LocalSite, tradewire: Tradewire, second_node: dict[str, str]
) -> None:
    count = 30
    node_stopped = threading.Event()  # most pages are served only once the node is down
    publish(site, count, held_from=3, gate=node_stopped)
    alias = unique_alias()
    tradewire.env.update({"TRADEWIRE_ES_URL": second_node["URL"], "TRADEWIRE_ES_INDEX": alias})
    tradewire.settings(FAST_POLLING | {"ingest": {"index_batch_size": 5}})
    tradewire.feeds({"wire": site.url("/feed.xml")}, interval="2s")
    client = Elasticsearch(second_node["URL"])
    served = Served(tradewire).start()
    try:
        wait_for(lambda: client.indices.exists_alias(name=alias) and client.count(index=alias)["count"] >= 3,
                 timeout=60, what="the first articles in the index")
        stopped = subprocess.run([LOCAL_ES, "stop"], env=second_node, capture_output=True, text=True, timeout=120)
        assert stopped.returncode == 0
        node_stopped.set()
        wait_for(lambda: sum(1 for r in site.requests if r.path.startswith("/news/")) >= count,
                 timeout=90, what="every article fetched while the index is down")
        down = wait_for(lambda: (h := _health(served)) and not h["index_reachable"] and h["spooled"] > 0 and h, timeout=60,
                        what="the articles to be spooled while the index is down")
        assert down["status"] == "degraded"

        restarted = subprocess.run([LOCAL_ES, "start"], env=second_node, capture_output=True, text=True, timeout=600)
        assert restarted.returncode == 0, restarted.stderr
        client = Elasticsearch(second_node["URL"])
        wait_for(lambda: _count(client, alias) == count, timeout=120, what=f"all {count} articles in the index")
        wait_for(lambda: _health(served)["spooled"] == 0, timeout=30, what="the spool to drain")
        client.indices.refresh(index=alias)
        ids = [hit["_id"] for hit in client.search(index=alias, size=100, query={"match_all": {}})["hits"]["hits"]]
        assert len(ids) == len(set(ids)) == count
    finally:
        node_stopped.set()
        served.stop()
        client.close()
        drop_alias(second_node["URL"], alias)


def _health(served: Served) -> dict:  # type: ignore[type-arg]
    import json
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(served.url + "/healthz", timeout=10) as response:
            return json.loads(response.read())
    except urllib.error.HTTPError as error:
        return json.loads(error.read())


def _count(client: Elasticsearch, alias: str) -> int:
    try:
        client.indices.refresh(index=alias)
        return int(client.count(index=alias)["count"])
    except Exception:  # noqa: BLE001 - the node may still be recovering its shards
        return -1


def _in_namespace(script: str) -> subprocess.CompletedProcess[str]:
    """Run a shell script in a private mount namespace (works without privileges)."""
    return subprocess.run(["unshare", "--mount", "--map-root-user", "sh", "-c", script],
                          capture_output=True, text=True, timeout=300)


def _cli(tradewire: Tradewire, *args: str) -> str:
    env = " ".join(f"{key}={shlex.quote(value)}" for key, value in tradewire.environment().items() if key.startswith("TRADEWIRE_"))
    return f"env {env} {shlex.quote(sys.executable)} -m tradewire {' '.join(shlex.quote(a) for a in args)}"


# PRAGMA integrity_check on every database; on a read-only file system SQLite can only open them as immutable.
INTEGRITY = """
import sqlite3, sys
from pathlib import Path
for path in sorted(Path(sys.argv[1]).glob('*.db')):
    try:
        result = sqlite3.connect(path).execute('PRAGMA integrity_check').fetchone()[0]
    except sqlite3.OperationalError:
        result = sqlite3.connect(f'file:{path}?mode=ro&immutable=1', uri=True).execute('PRAGMA integrity_check').fetchone()[0]
    print(path.name, result)
"""


def _wire_feed(site: LocalSite, tradewire: Tradewire, articles: int) -> str:
    """A feed of `articles` articles, configured; returns the (empty, shell-quoted) data directory."""
    publish(site, articles)
    tradewire.feeds({"wire": site.url("/feed.xml")})
    tradewire.data_dir.mkdir(parents=True)
    return shlex.quote(str(tradewire.data_dir))


def test_full_disk_gives_a_clear_error_and_no_corrupted_state(site: LocalSite, tradewire: Tradewire) -> None:
    data = _wire_feed(site, tradewire, 60)
    result = _in_namespace(
        f"mount -t tmpfs -o size=1200k tmpfs {data} && {_cli(tradewire, 'run-once')}; echo exit=$?; "
        f"{shlex.quote(sys.executable)} -c {shlex.quote(INTEGRITY)} {data}"
    )
    output = result.stdout + result.stderr
    assert "exit=1" in output, output
    assert "database or disk is full" in output, output
    assert "Traceback" not in output
    checks = [line for line in output.splitlines() if re.fullmatch(r"\w+\.db \S.*", line)]  # INTEGRITY's lines
    assert checks and all(line.endswith(" ok") for line in checks), checks


def test_read_only_data_directory_is_a_clear_error_at_start(site: LocalSite, tradewire: Tradewire) -> None:
    data = _wire_feed(site, tradewire, 2)
    result = _in_namespace(
        f"mount -t tmpfs -o size=50m tmpfs {data} && {_cli(tradewire, 'run-once')} > /dev/null; echo first=$?; "
        f"mount -o remount,ro {data} && {_cli(tradewire, 'run-once')}; echo second=$?; "
        f"{_cli(tradewire, 'search', 'tag:sanctions', '--json')} | head -c 20; echo; "
        f"{shlex.quote(sys.executable)} -c {shlex.quote(INTEGRITY)} {data}"
    )
    output = result.stdout + result.stderr
    assert "first=0" in output and "second=1" in output, output
    assert "tradewire: cannot open the state database" in output and "is not writable: read-only?" in output, output
    assert "tradewire: cannot open the embedded index" in output
    assert "Traceback" not in output
    assert "index.db ok" in output and "state.db ok" in output and "alerts.db ok" in output


def test_smtp_server_down_then_up_gets_the_alert_once(site: LocalSite, tradewire: Tradewire) -> None:
    publish(site, 1)
    port = free_port()
    tradewire.settings({"alerts": {"retry_base": "0.2s", "retry_max": "1s"}})
    tradewire.feeds({"wire": site.url("/feed.xml")})
    tradewire.write("alerts.yaml", {"channels": {"mail": {"type": "email", "host": "127.0.0.1", "port": port,
                                                          "security": "none", "from": "tw@example.org",
                                                          "to": ["desk@example.org"], "timeout": 3}},
                                    "rules": [{"name": "sanctions", "query": "tag:sanctions", "channels": ["mail"]}]})
    first = tradewire.run("run-once", check=True)
    assert "1 to retry" in first.stdout
    assert tradewire.json("alerts", "list")[0]["deliveries"][0]["status"] == "pending"
    with smtp_server(port) as (_, messages):
        time.sleep(1.5)
        tradewire.run("alerts", "deliver", check=True)
        tradewire.run("alerts", "deliver", check=True)
        assert len(messages) == 1 and "Refiner 0 sanctioned" in messages[0]["Subject"]
    assert tradewire.json("alerts", "list")[0]["deliveries"][0]["status"] == "delivered"

"""`tradewire serve` for real: scheduled polling, the API, metrics, shutdown and restart, reload, disabling."""

from __future__ import annotations

import json
import signal
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler

import pytest

from tests.support.cli import Tradewire
from tests.support.feeds import item, news_page, rss
from tests.support.receivers import WebhookReceiver
from tests.support.service import FAST_POLLING, Served, wait_for
from tradewire.ingest.demo.site import LocalSite

SANCTION_TEXT = (
    "The U.S. Treasury imposed sanctions on {n} Chinese refiners on Tuesday for buying Iranian oil, freezing their "
    "assets in the United States. Beijing's Ministry of Commerce said it firmly opposed the unilateral sanctions "
    "and would take necessary measures to protect Chinese companies. Story number {n}."
)


_WORDS = ("port", "refinery", "tanker", "cargo", "bank", "insurer", "shipyard", "broker", "terminal", "pipeline",
          "customs", "ledger", "invoice", "barrel", "freight", "vessel", "auditor", "registry", "dealer", "exchange")


def story(n: int) -> str:
    """A different story per n (copies of one story would rightly be grouped into one alert)."""
    words = [_WORDS[(n * 7 + i * i) % len(_WORDS)] + str((n * 31 + i) % 97) for i in range(60)]
    return SANCTION_TEXT.format(n=n) + " Details: " + " ".join(words) + "."


def publish(site: LocalSite, numbers: range, path: str = "/feed.xml") -> None:
    items = []
    for n in numbers:
        url = site.url(f"/news/{n}.html")
        site.put(f"/news/{n}.html", news_page(f"Treasury sanctions refiners, story {n}", story(n), canonical=url, seed=n))
        items.append(item(url, f"Treasury sanctions refiners, story {n}"))
    site.put(path, rss(items), "application/rss+xml")


@pytest.fixture
def served(tradewire: Tradewire) -> Served:
    tradewire.settings(FAST_POLLING | {"server": {"shutdown_timeout": 10}})
    service = Served(tradewire)
    yield service
    service.stop()


def test_new_entry_becomes_searchable_alerted_and_counted(site: LocalSite, tradewire: Tradewire, served: Served) -> None:
    receiver = WebhookReceiver(site)
    publish(site, range(1))
    tradewire.feeds({"wire": site.url("/feed.xml")}, interval="2s")
    tradewire.write("alerts.yaml", {"channels": {"hook": {"type": "webhook", "url": receiver.url}},
                                    "rules": [{"name": "sanctions", "query": "asserted:sanctions", "channels": ["hook"]}]})
    served.start()
    wait_for(lambda: served.get("/search?q=tag:sanctions")["total"] == 1, timeout=30, what="the first article")

    publish(site, range(2))
    found = wait_for(lambda: (r := served.get('/search?q=%22story%201%22'))["total"] == 1 and r, timeout=30,
                     what="the new entry to become searchable")
    assert found["hits"][0]["title"] == "Treasury sanctions refiners, story 1"
    alerts = wait_for(lambda: len(a := served.get("/alerts")) == 2 and a, timeout=30, what="two alerts")
    assert {alert["content"]["title"] for alert in alerts} == {f"Treasury sanctions refiners, story {n}" for n in (0, 1)}
    wait_for(lambda: len(receiver.received) == 2, timeout=30, what="two webhook deliveries")

    metrics = served.get("/metrics")
    assert 'tradewire_articles_total{outcome="new"} 2.0' in metrics
    assert 'tradewire_alert_deliveries{status="delivered"} 2.0' in metrics
    assert 'tradewire_fetches_total{kind="feed",outcome="ok"}' in metrics
    assert "tradewire_stage_seconds_bucket" in metrics
    feeds = served.get("/feeds")
    assert feeds[0]["name"] == "wire" and feeds[0]["state"] in ("ok", "not-modified") and feeds[0]["next_poll_at"]
    assert served.get("/healthz")["status"] == "ok"
    schema = served.get("/openapi.json")
    assert {"/search", "/articles/{article_id}", "/alerts", "/feeds", "/healthz", "/metrics"} <= set(schema["paths"])
    # The schema documents the errors the API really gives: 400 with {"error"}, never FastAPI's 422.
    search_responses = schema["paths"]["/search"]["get"]["responses"]
    assert "422" not in search_responses and search_responses["400"]["content"]["application/json"]["schema"]["$ref"].endswith("/ApiError")
    bad = urllib.request.Request(served.url + "/search?size=100000")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(bad, timeout=10)
    assert refused.value.code == 400 and "error" in json.loads(refused.value.read())
    with pytest.raises(urllib.error.HTTPError) as missing:
        urllib.request.urlopen(served.url + "/no-such-route", timeout=10)
    assert missing.value.code == 404 and json.loads(missing.value.read()) == {"error": "Not Found"}


def _slowly(site: LocalSite, path: str, body: bytes, delay: float) -> None:
    def handler(request: BaseHTTPRequestHandler) -> None:
        time.sleep(delay)
        request.send_response(200)
        request.send_header("Content-Type", "text/html; charset=utf-8")
        request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        request.wfile.write(body)

    site.handlers[path] = handler


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGKILL])
def test_stopping_mid_cycle_loses_and_duplicates_nothing(
    site: LocalSite, tradewire: Tradewire, served: Served, stop_signal: int
) -> None:
    receiver = WebhookReceiver(site)
    count = 24
    publish(site, range(count))
    for n in range(count):
        _slowly(site, f"/news/{n}.html", site.resources[f"/news/{n}.html"].body, 0.4)
    tradewire.feeds({"wire": site.url("/feed.xml")}, interval="2s")
    tradewire.write("alerts.yaml", {"channels": {"hook": {"type": "webhook", "url": receiver.url}},
                                    "rules": [{"name": "sanctions", "query": "tag:sanctions", "channels": ["hook"]}]})
    served.start()
    wait_for(lambda: 2 <= len([r for r in site.requests if r.path.startswith("/news/")]) < count, timeout=30,
             what="the cycle to be under way")
    started = time.monotonic()
    served.signal(stop_signal)
    code = served.wait(timeout=20)
    if stop_signal == signal.SIGTERM:
        assert code == 0 and time.monotonic() - started < 15
        log = served.log()
        assert "Traceback" not in log, log

    served.start()
    wait_for(lambda: served.get("/search?q=tag:sanctions&size=0")["total"] == count, timeout=60,
             what=f"all {count} articles after the restart")
    hits = served.get("/search?q=tag:sanctions&size=100")["hits"]
    assert len({hit["id"] for hit in hits}) == count
    wait_for(lambda: len(receiver.received) >= count, timeout=60, what="an alert per story")
    time.sleep(3)  # another poll cycle: nothing new may be sent
    keys = [headers["Idempotency-Key"] for headers in receiver.headers]
    assert len(set(keys)) == count
    if stop_signal == signal.SIGTERM:  # a clean stop records every send: nothing is sent again
        assert len(receiver.received) == count
    assert len({alert["id"] for alert in served.get("/alerts?limit=500")}) == count


def test_failing_feed_is_disabled_with_its_reason(site: LocalSite, tradewire: Tradewire, served: Served) -> None:
    tradewire.settings(FAST_POLLING | {"polling": {**FAST_POLLING["polling"], "failures_before_disable": 3}})
    publish(site, range(1))
    site.put("/broken.xml", "not found", "text/plain", status=404)
    tradewire.feeds({"good": site.url("/feed.xml"), "broken": site.url("/broken.xml")}, interval="1s")
    served.start()
    row = wait_for(lambda: next((f for f in served.get("/feeds") if f["name"] == "broken" and f["disabled_reason"]), None),
                   timeout=60, what="the broken feed to be disabled")
    assert row["state"] == "disabled" and "3 consecutive failures" in row["disabled_reason"] and "HTTP 404" in row["disabled_reason"]
    status = {r["name"]: r for r in tradewire.json("feeds", "status")}
    assert status["broken"]["state"] == "disabled" and status["good"]["state"] in ("ok", "not-modified")
    polls = len(site.requests_for("/broken.xml"))
    time.sleep(3)
    assert len(site.requests_for("/broken.xml")) == polls

    assert "enabled broken" in tradewire.run("feeds", "enable", "broken", check=True).stdout
    wait_for(lambda: len(site.requests_for("/broken.xml")) > polls, timeout=30, what="the re-enabled feed to be polled")


def test_gone_feed_is_disabled_at_once(site: LocalSite, tradewire: Tradewire, served: Served) -> None:
    site.put("/gone.xml", "gone", "text/plain", status=410)
    tradewire.feeds({"gone": site.url("/gone.xml")}, interval="1s")
    served.start()
    row = wait_for(lambda: next((f for f in served.get("/feeds") if f["disabled_reason"]), None), timeout=30,
                   what="the 410 feed to be disabled")
    assert "410" in row["disabled_reason"] and row["consecutive_failures"] == 1


def test_reload_with_a_broken_feeds_file_keeps_the_old_feeds(site: LocalSite, tradewire: Tradewire, served: Served) -> None:
    publish(site, range(1))
    tradewire.feeds({"wire": site.url("/feed.xml")}, interval="1s")
    served.start()
    wait_for(lambda: served.get("/search?size=0")["total"] == 1, timeout=30, what="the first article")
    tradewire.write("feeds.yaml", "feeds:\n  - name: wire\n    url: [broken\n")
    served.signal(signal.SIGHUP)
    health = wait_for(lambda: (h := served.get("/healthz"))["last_reload_error"] and h, timeout=10,
                      what="the reload error to be reported")
    assert "feeds.yaml: line 4: YAML syntax error" in health["last_reload_error"]
    polls = len(site.requests_for("/feed.xml"))
    wait_for(lambda: len(site.requests_for("/feed.xml")) > polls + 1, timeout=20, what="the old feed to keep polling")
    assert "reload refused" in served.log()

    publish(site, range(1), path="/second.xml")
    tradewire.feeds({"wire": site.url("/feed.xml"), "second": site.url("/second.xml")}, interval="1s")
    assert "asked the service" in tradewire.run("reload", check=True).stdout
    wait_for(lambda: site.requests_for("/second.xml"), timeout=20, what="the added feed to be polled")
    assert served.get("/healthz")["last_reload_error"] is None


def test_feeds_can_be_added_and_removed_over_the_api_with_the_token(site: LocalSite, tradewire: Tradewire, served: Served) -> None:
    import json
    import urllib.request

    tradewire.env["TRADEWIRE_API_TOKEN"] = "s3cret-token"
    publish(site, range(1))
    tradewire.feeds({"wire": site.url("/feed.xml")}, interval="1s")
    served.token = "s3cret-token"
    served.start()
    assert served.get("/search", check=False, token="wrong") is None
    unauthenticated = urllib.request.Request(served.url + "/feeds")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(unauthenticated, timeout=5)
    assert refused.value.code == 401 and "token" in json.loads(refused.value.read())["error"]

    def call(method: str, path: str, body: dict | None = None) -> tuple[int, dict]:  # type: ignore[type-arg]
        request = urllib.request.Request(served.url + path, method=method, data=json.dumps(body).encode() if body else None,
                                         headers={"Authorization": "Bearer s3cret-token", "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())

    publish(site, range(1), path="/added.xml")
    assert call("POST", "/feeds", {"name": "added", "url": site.url("/added.xml"), "interval": "1s"}) == (201, {"added": "added"})
    wait_for(lambda: site.requests_for("/added.xml"), timeout=20, what="the feed added over the API to be polled")
    status, body = call("POST", "/feeds", {"name": "added", "url": site.url("/x.xml")})
    assert status == 400 and "already exists" in body["error"]
    status, body = call("POST", "/feeds", {"name": "bad name!", "url": "ftp://x"})
    assert status == 400 and body["error"].startswith("invalid name")
    assert call("DELETE", "/feeds/added") == (200, {"removed": "added"})
    assert [feed["name"] for feed in tradewire.json("feeds", "list")] == ["wire"]
    assert call("DELETE", "/feeds/nope")[0] == 404


def test_listening_beyond_loopback_needs_a_token(tradewire: Tradewire) -> None:
    result = tradewire.run("serve", "--host", "0.0.0.0", "--port", "0")
    assert result.returncode != 0
    assert "refusing to listen on 0.0.0.0 without a token" in result.stderr

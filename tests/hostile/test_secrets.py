"""Secrets (feed credentials, API keys, Elasticsearch and SMTP passwords) never appear in output, logs or the API."""

from __future__ import annotations

import time
import urllib.parse

from tests.support.cli import Tradewire
from tests.support.feeds import item, news_page, rss
from tests.support.receivers import free_port
from tests.support.service import FAST_POLLING, Served, wait_for
from tradewire.ingest.demo.site import LocalSite

SECRETS = ("feed-pass-81b3", "feed-key-4c2e", "es-pass-9d77", "smtp-pass-1f0a", "api-token-77aa")


def test_no_secret_is_ever_shown_or_logged(site: LocalSite, tradewire: Tradewire) -> None:
    page = site.url("/p.html")
    site.put("/p.html", news_page("Sanctions story", "The Treasury imposed sanctions on a refiner. " * 5, canonical=page))
    site.put("/feed.xml", rss([item(page, "Sanctions story")]), "application/rss+xml")
    secret_feed = site.url("/feed.xml").replace("http://", "http://reader:feed-pass-81b3@") + "?apikey=feed-key-4c2e"
    tradewire.feeds({"private": secret_feed}, interval="2s")
    tradewire.settings(FAST_POLLING)
    tradewire.write("alerts.yaml", {"channels": {"mail": {"type": "email", "host": "127.0.0.1", "port": free_port(),
                                                          "security": "none", "username": "tw", "password_env": "SMTP_PASSWORD",
                                                          "from": "tw@example.org", "to": ["desk@example.org"], "timeout": 2}},
                                    "rules": [{"name": "sanctions", "query": "tag:sanctions", "channels": ["mail"]}]})
    tradewire.env.update({
        "SMTP_PASSWORD": "smtp-pass-1f0a", "TRADEWIRE_ES_URL": f"http://elastic:es-pass-9d77@127.0.0.1:{free_port()}",
        "TRADEWIRE_ES_PASSWORD": "es-pass-9d77", "TRADEWIRE_API_TOKEN": "api-token-77aa",
    })
    outputs = [tradewire.run("run-once"), tradewire.run("feeds", "list"), tradewire.run("feeds", "status", "--json"),
               tradewire.run("feeds", "list", "--json"), tradewire.run("alerts", "list", "--json"),
               tradewire.run("index", "status")]
    served = Served(tradewire, token="api-token-77aa").start()
    try:
        wait_for(lambda: served.get("/alerts"), timeout=30, what="an alert (its delivery fails: no SMTP server)")
        api = [served.get("/feeds"), served.get("/healthz", check=False), served.get("/alerts"), served.get("/metrics")]
        time.sleep(2)
    finally:
        served.stop()
    seen = "\n".join(o.stdout + o.stderr for o in outputs) + "\n".join(map(str, api)) + served.log()
    seen += (tradewire.root / "config" / "settings.yaml").read_text()
    for secret in SECRETS:
        assert secret not in seen and urllib.parse.quote(secret) not in seen, secret
    masked = ("***", "%2A%2A%2A")
    assert any(f"{mask}:{mask}@" in seen for mask in masked) and any(f"apikey={mask}" in seen for mask in masked)
    assert "unreachable" in seen


def test_a_config_error_does_not_repeat_a_secret(tradewire: Tradewire) -> None:
    tradewire.write("feeds.yaml", {"feeds": [{"name": "private", "url": "ftp://reader:feed-pass-81b3@example.org/x?apikey=feed-key-4c2e"}]})
    result = tradewire.run("feeds", "list")
    assert result.returncode != 0 and "feeds.yaml" in result.stderr and "feeds[0].url" in result.stderr
    for secret in SECRETS:
        assert secret not in result.stdout + result.stderr, secret

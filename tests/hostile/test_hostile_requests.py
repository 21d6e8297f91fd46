"""Requests an attacker or a careless user sends the API, the CLI and the configuration: dates out of range,
made-up cursors. Each is a clear 400, query error or configuration error, or selects what it says; never a 500
or a traceback."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from tests.support.cli import Tradewire
from tests.support.feeds import item, news_page, rss
from tests.support.service import Served
from tradewire.ingest.demo.site import LocalSite
from tradewire.search.results import encode_cursor

TEXT = ("The U.S. Treasury imposed sanctions on three Chinese refiners on Tuesday, freezing their assets. "
        "Beijing's Ministry of Commerce said it opposed the unilateral sanctions. ") * 3


@pytest.fixture(scope="module")
def installation(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Tradewire]:
    """One article indexed on the embedded index."""
    tradewire = Tradewire(tmp_path_factory.mktemp("requests"))
    tradewire.settings()
    with LocalSite() as site:
        page = site.url("/pages/a.html")
        site.put("/pages/a.html", news_page("Treasury sanctions refiners", TEXT, canonical=page))
        tradewire.feeds({"wire": site.put("/feed.xml", rss([item(page, "Treasury sanctions refiners")]), "application/rss+xml")})
        tradewire.run("run-once", check=True)
    yield tradewire


@pytest.fixture(scope="module")
def service(installation: Tradewire) -> Iterator[Served]:
    served = Served(installation).start()
    yield served
    served.stop()


def get(served: Served, path: str, **parameters: str) -> tuple[int, Any]:
    url = served.url + path + ("?" + urllib.parse.urlencode(parameters) if parameters else "")
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


@pytest.mark.parametrize(("parameters", "total"), [
    ({"q": "published:[0001-01-01 TO 9999-12-31]"}, 1),
    ({"q": "published:>=now-9999999d"}, 1),
    ({"q": "published:<now+9999999d"}, 1),
    ({"q": "published:>=now+9999999d"}, 0),
    ({"q": "published:9999-12-31"}, 0),
    ({"since": "9999999d"}, 1),
    ({"until": "9999-12-31"}, 1),
    ({"since": "0001-01-01", "until": "9999-12-31"}, 1),
])
def test_dates_beyond_the_calendar_select_everything_or_nothing(service: Served, parameters: dict[str, str], total: int) -> None:
    status, body = get(service, "/search", **parameters)
    assert status == 200, body
    assert body["total"] == total


@pytest.mark.parametrize(("parameters", "message"), [
    ({"q": "published:>=now-99999999999d"}, "duration '99999999999d' is too long (at most 999,999,999 days)"),
    ({"since": "999999999999d"}, "duration '999999999999d' is too long"),
    ({"cursor": "abc"}, "invalid cursor: pass back the next_cursor of a previous page"),
    ({"cursor": encode_cursor({})}, "invalid cursor"),
    ({"cursor": encode_cursor({"offset": "1"})}, "invalid cursor"),
    ({"cursor": encode_cursor({"offset": -1})}, "invalid cursor"),
])
def test_durations_too_long_and_made_up_cursors_are_400s(service: Served, parameters: dict[str, str], message: str) -> None:
    status, body = get(service, "/search", **parameters)
    assert status == 400, body
    assert message in body["error"]


def test_the_cli_reads_dates_beyond_the_calendar_and_refuses_cursors_it_did_not_give(installation: Tradewire) -> None:
    found = installation.run("search", "published:[0001-01-01 TO 9999-12-31]", "--json")
    assert found.returncode == 0 and json.loads(found.stdout)["total"] == 1, found.stderr
    for args, message in [
        (("x", "--since", "999999999999d"), "query error: duration '999999999999d' is too long"),
        (("", "--cursor", "abc"), "invalid cursor"),
        (("", "--cursor", encode_cursor({})), "invalid cursor"),
    ]:
        refused = installation.run("search", *args)
        assert refused.returncode != 0
        assert message in refused.stderr and "Traceback" not in refused.stderr, refused.stderr


def _alerts(query: str, throttle: str = "24h") -> dict[str, Any]:
    return {"channels": {"log": {"type": "log"}},
            "rules": [{"name": "rule", "query": query, "throttle": throttle, "channels": ["log"]}]}


def test_an_alert_rule_over_all_dates_runs(tmp_path_factory: pytest.TempPathFactory) -> None:
    tradewire = Tradewire(tmp_path_factory.mktemp("rule"))
    tradewire.settings()
    tradewire.feeds({})
    tradewire.write("alerts.yaml", _alerts("tag:sanctions AND published:[0001-01-01 TO 9999-12-31]"))
    result = tradewire.run("run-once")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(("query", "throttle", "message"), [
    ("published:>=now-99999999999d", "24h", "rules[0].query: query error at position 12: duration '99999999999d' is too long"),
    ("tag:sanctions", "9999999d", "rules[0].throttle: duration 9999999d is longer than 36,525 days (100 years)"),
    ("tag:sanctions", "99999999999999d", "rules[0].throttle: duration '99999999999999d' is too long"),
])
def test_an_alert_rule_out_of_range_is_a_one_line_configuration_error(
    tmp_path_factory: pytest.TempPathFactory, query: str, throttle: str, message: str,
) -> None:
    tradewire = Tradewire(tmp_path_factory.mktemp("rule"))
    tradewire.settings()
    tradewire.feeds({})
    tradewire.write("alerts.yaml", _alerts(query, throttle))
    for command in ("run-once", "serve"):
        result = tradewire.run(command, timeout=60)
        assert result.returncode != 0
        output = result.stdout + result.stderr
        assert "Traceback" not in output and message in output, output
        assert len(output.strip().splitlines()) == 1, output


TOKEN = "probe-token-9c1e"
SECURITY_HEADERS = {
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
}


@pytest.fixture(scope="module")
def guarded(installation: Tradewire) -> Iterator[Served]:
    """The same installation served with an API token."""
    installation.env["TRADEWIRE_API_TOKEN"] = TOKEN
    served = Served(installation, token=TOKEN).start()
    yield served
    served.stop()
    del installation.env["TRADEWIRE_API_TOKEN"]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def request(served: Served, path: str, *, data: bytes | None = None, headers: dict[str, str] | None = None) -> tuple[int, Any, bytes]:
    """(status, headers, body) of one request, redirects not followed."""
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(urllib.request.Request(served.url + path, data=data, headers=headers or {}), timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def sign_in(served: Served, token: str, headers: dict[str, str] | None = None) -> tuple[int, list[str]]:
    status, answer, _ = request(served, "/login", data=urllib.parse.urlencode({"token": token}).encode(),
                                headers={"Content-Type": "application/x-www-form-urlencoded", **(headers or {})})
    return status, answer.get_all("set-cookie") or []


@pytest.mark.parametrize("path", ["/login", "/", "/ui/alerts", "/static/tradewire.css", "/static/alerts.js", "/healthz",
                                  "/search", "/no-such-page"])
def test_every_response_carries_the_security_headers(guarded: Served, path: str) -> None:
    _, headers, _ = request(guarded, path)
    for name, value in SECURITY_HEADERS.items():
        assert headers.get(name) == value, (path, dict(headers))
    policy = headers.get("content-security-policy", "")
    assert "default-src 'none'" in policy and "frame-ancestors 'none'" in policy
    assert "'unsafe-inline'" not in policy and "script-src 'self'" in policy


def test_the_login_cookie_is_not_the_token_and_is_http_only_and_strict(guarded: Served) -> None:
    status, cookies = sign_in(guarded, TOKEN)
    assert status == 303 and len(cookies) == 1
    cookie = cookies[0]
    assert TOKEN not in cookie
    attributes = [part.strip().lower() for part in cookie.split(";")]
    assert "httponly" in attributes and "samesite=strict" in attributes
    assert "secure" not in attributes  # served over plain http here
    session = cookie.split(";")[0]
    assert request(guarded, "/", headers={"Cookie": session})[0] == 200
    # The token itself in the cookie opens nothing, under the old name or the new one.
    name = session.split("=")[0]
    for forged in (f"{name}={TOKEN}", f"tradewire_token={TOKEN}", f"{name}="):
        status, headers, _ = request(guarded, "/", headers={"Cookie": forged})
        assert status == 303 and headers["location"] == "/login", forged
        assert request(guarded, "/search", headers={"Cookie": forged})[0] == 401


def test_the_login_cookie_is_secure_when_the_page_came_over_https(guarded: Served) -> None:
    # A TLS-terminating proxy on the same host says so with X-Forwarded-Proto (uvicorn trusts it from 127.0.0.1).
    status, cookies = sign_in(guarded, TOKEN, {"X-Forwarded-Proto": "https"})
    assert status == 303
    assert "secure" in [part.strip().lower() for part in cookies[0].split(";")]


def test_a_wrong_token_gets_no_cookie(guarded: Served) -> None:
    status, cookies = sign_in(guarded, "not-the-token")
    assert status == 401 and cookies == []


def test_the_openapi_schema_needs_the_token(guarded: Served) -> None:
    assert request(guarded, "/openapi.json")[0] == 401
    status, _, body = request(guarded, "/openapi.json", headers={"Authorization": f"Bearer {TOKEN}"})
    assert status == 200 and "/search" in json.loads(body)["paths"]
    assert request(guarded, "/docs")[0] == 404  # no interactive docs are served at all

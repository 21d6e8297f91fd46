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

from ingest.demo.site import LocalSite
from search.results import encode_cursor
from tests.support.cli import Tradewire
from tests.support.feeds import item, news_page, rss
from tests.support.service import Served

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

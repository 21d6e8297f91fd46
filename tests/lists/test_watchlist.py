"""The watchlist, through the real command line: a `watchlist: true` rule alerts when a list served on
127.0.0.1 newly designates a watched party written another way, not for an unwatched newcomer; `screen`
says when a name is on the watchlist; a bad watchlist file is refused with where and why."""

from __future__ import annotations

import json

from tests.lists.test_refresh import ENTRIES, SDN, _uid, _without
from tests.support.cli import Tradewire
from tests.support.receivers import WebhookReceiver
from tradewire.ingest.demo.site import LocalSite

SECHIN = next(entry for entry in ENTRIES if "SECHIN" in entry)
USMANOV = next(entry for entry in ENTRIES if "USMANOV" in entry)
PARTIES = [
    {"name": "SECHIN, Igor Ivanovich", "kind": "person", "country": "Russia", "note": "board member of a customer"},
    {"name": "Shenzhen Example Trading Co., Ltd", "country": "CN"},
]


def _installation(tradewire: Tradewire, site: LocalSite) -> WebhookReceiver:
    hook = WebhookReceiver(site, "/hook")
    url = site.put("/sdn.xml", _without(SECHIN, USMANOV), "application/xml")
    tradewire.write("lists.yaml", {"lists": [{"name": "ofac-sdn", "url": url, "format": "ofac_sdn_xml"}]})
    tradewire.write("watchlist.yaml", {"parties": PARTIES})
    tradewire.write("alerts.yaml", {
        "channels": {"hook": {"type": "webhook", "url": hook.url}},
        "rules": [{"name": "watched-designated", "designations": True, "watchlist": True, "channels": ["hook"]}],
    })
    return hook


def test_a_watched_party_newly_listed_alerts_and_an_unwatched_newcomer_does_not(tradewire: Tradewire, site: LocalSite) -> None:
    hook = _installation(tradewire, site)
    tradewire.run("lists", "refresh", check=True)
    site.put("/sdn.xml", SDN, "application/xml")
    assert "2 listed" in tradewire.run("lists", "refresh", check=True).stdout
    (alert,) = hook.received
    assert (alert["entry_id"], alert["name"]) == (_uid(SECHIN), "Igor Ivanovich SECHIN")
    assert alert["watched"]["name"] == "SECHIN, Igor Ivanovich" and alert["watched"]["note"] == "board member of a customer"
    assert "watched party SECHIN, Igor Ivanovich" in alert["why"]
    (stored,) = tradewire.json("alerts", "list")
    assert stored["content"]["entry_id"] == _uid(SECHIN)


def test_screen_says_a_name_is_on_the_watchlist(tradewire: Tradewire, site: LocalSite) -> None:
    _installation(tradewire, site)
    # No list loaded yet: the watchlist still answers.
    watched = tradewire.run("screen", "Igor Sechin", "--json")
    assert watched.returncode == 0, watched.stderr
    report = json.loads(watched.stdout)
    assert report["matches"] == [] and [party["name"] for party in report["watchlist"]] == ["SECHIN, Igor Ivanovich"]
    table = tradewire.run("screen", "Example Trading Shenzhen Co Ltd")
    assert table.returncode == 0 and "on the watchlist: Shenzhen Example Trading Co., Ltd" in table.stdout
    assert tradewire.run("screen", "Alisher Usmanov").returncode == 2  # neither watched nor any list loaded

    tradewire.run("lists", "refresh", check=True)
    listed = json.loads(tradewire.run("screen", "Alisher Usmanov", "--json").stdout)
    assert listed["watchlist"] == [] and listed["matches"] == []  # Usmanov is not in the version loaded
    assert tradewire.run("screen", "Sechin").returncode == 1  # a surname alone is no match


def test_a_watchlist_with_an_unknown_country_is_refused_with_where_and_why(tradewire: Tradewire) -> None:
    tradewire.write("watchlist.yaml", {"parties": [{"name": "Acme Ltd", "country": "Atlantis"}]})
    refused = tradewire.run("lists", "status")
    assert refused.returncode != 0
    assert "watchlist.yaml" in refused.stderr and "unknown country 'Atlantis'" in refused.stderr

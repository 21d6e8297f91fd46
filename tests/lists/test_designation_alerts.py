"""Alerts on designations, through the real command line: a list served on 127.0.0.1 gains an entry, the
refresh stores one alert for the listing and a real webhook receiver gets it once; the baseline and a
repeated refresh alert nothing."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pydantic import ValidationError

from tests.lists.test_refresh import ENTRIES, SDN, _status, _uid, _without
from tests.support.cli import Tradewire
from tests.support.receivers import WebhookReceiver
from tests.support.service import Served, wait_for
from tradewire.enrich.screening.entries import ListEntry
from tradewire.ingest.demo.site import LocalSite
from tradewire.ingest.lists import read_list
from tradewire.ingest.state import State
from tradewire.search.alerts import Outbox
from tradewire.search.alerts.rules import AlertsFile

SECHIN = next(entry for entry in ENTRIES if "SECHIN" in entry)


def _installation(tradewire: Tradewire, site: LocalSite, body: str, rule: dict) -> tuple[WebhookReceiver, WebhookReceiver]:  # type: ignore[type-arg]
    hook, chat = WebhookReceiver(site, "/hook"), WebhookReceiver(site, "/chat")
    url = site.put("/sdn.xml", body, "application/xml")
    tradewire.write("feeds.yaml", {"feeds": []})
    tradewire.write("lists.yaml", {"lists": [{"name": "ofac-sdn", "url": url, "format": "ofac_sdn_xml"}]})
    tradewire.write("alerts.yaml", {
        "channels": {"hook": {"type": "webhook", "url": hook.url},
                     "chat": {"type": "webhook", "format": "slack", "url": chat.url}},
        "rules": [{"name": "new-designations", "designations": True, "channels": ["hook", "chat"], **rule},
                  {"name": "articles", "query": "tag:sanctions", "channels": ["hook"]}],
    })
    return hook, chat


def test_a_new_listing_alerts_once_and_the_baseline_not_at_all(tradewire: Tradewire, site: LocalSite) -> None:
    hook, chat = _installation(tradewire, site, _without(SECHIN), {})
    baseline = tradewire.run("lists", "refresh", check=True)
    assert "baseline" in baseline.stdout
    assert hook.attempts == 0 and tradewire.json("alerts", "list") == []

    site.put("/sdn.xml", SDN, "application/xml")
    listed = tradewire.run("lists", "refresh", check=True)
    assert "1 listed, 0 delisted" in listed.stdout and "alerts: 2 delivered" in listed.stdout
    (alert,) = hook.received
    assert alert["kind"] == "designation" and alert["rule"] == "new-designations" and alert["event"] == "listed"
    assert (alert["list"], alert["entry_id"], alert["name"]) == ("ofac-sdn", _uid(SECHIN), "Igor Ivanovich SECHIN")
    assert "Игорь Иванович Сечин" in alert["aliases"] and "RUSSIA-EO14024" in alert["programs"]
    assert "RU" in alert["countries"]
    (message,) = chat.received
    assert "new-designations" in message["text"] and "listed on ofac-sdn: Igor Ivanovich SECHIN" in message["text"]
    assert "RUSSIA-EO14024" in message["text"]

    # The same version again (a 304, then the same entries in other bytes): no event, no second alert.
    tradewire.run("lists", "refresh", check=True)
    site.put("/sdn.xml", SDN.replace("<sdnEntry>", "<sdnEntry> "), "application/xml")
    assert "0 listed, 0 delisted, 0 amended" in tradewire.run("lists", "refresh", check=True).stdout
    tradewire.run("alerts", "deliver", check=True)
    assert len(hook.received) == 1 and len(chat.received) == 1 and len(tradewire.json("alerts", "list")) == 1


def test_an_entry_listed_again_after_its_delisting_alerts_again(tradewire: Tradewire, site: LocalSite) -> None:
    hook, _ = _installation(tradewire, site, _without(SECHIN), {})
    tradewire.run("lists", "refresh", check=True)
    for body, change in ((SDN, "1 listed, 0 delisted"), (_without(SECHIN), "0 listed, 1 delisted"), (SDN, "1 listed, 0 delisted")):
        site.put("/sdn.xml", body, "application/xml")
        assert change in tradewire.run("lists", "refresh", check=True).stdout
    assert [(alert["event"], alert["entry_id"]) for alert in hook.received] == [("listed", _uid(SECHIN))] * 2
    assert len({alert["id"] for alert in hook.received}) == 2


def test_a_rule_for_another_programme_or_event_stays_silent(tradewire: Tradewire, site: LocalSite) -> None:
    hook, _ = _installation(tradewire, site, _without(SECHIN), {"programs": ["SDGT"], "events": ["listed", "delisted"]})
    tradewire.run("lists", "refresh", check=True)
    site.put("/sdn.xml", SDN, "application/xml")
    assert "1 listed" in tradewire.run("lists", "refresh", check=True).stdout
    assert hook.attempts == 0 and tradewire.json("alerts", "list") == []


def test_run_once_delivers_the_alerts_of_the_lists_it_refreshed(tradewire: Tradewire, site: LocalSite) -> None:
    hook, _ = _installation(tradewire, site, _without(SECHIN), {})
    tradewire.run("run-once", check=True)
    site.put("/sdn.xml", SDN, "application/xml")
    tradewire.write("lists.yaml", {"lists": [{"name": "ofac-sdn", "url": site.url("/sdn.xml"), "format": "ofac_sdn_xml",
                                              "interval": "1s"}]})
    result = tradewire.run("run-once", check=True)
    assert "1 listed" in result.stdout
    assert [alert["entry_id"] for alert in hook.received] == [_uid(SECHIN)]


def test_the_outbox_stores_one_alert_per_rule_entry_and_event(tmp_path: Path) -> None:
    rule = AlertsFile.model_validate({
        "channels": {"log": {"type": "log"}}, "rules": [{"name": "new", "designations": True, "channels": ["log"]}],
    }).rules[0]
    entry = ListEntry("ofac-sdn", "173", "person", ("Igor Ivanovich SECHIN",), ("RUSSIA-EO14024",))
    outbox = Outbox(tmp_path / "alerts.db")
    try:
        first = outbox.record_designation(rule, "listed", entry, "listed on ofac-sdn", sequence=0)
        assert first is not None
        assert outbox.record_designation(rule, "listed", entry, "listed on ofac-sdn", sequence=0) is None
        delisting = outbox.record_designation(rule, "delisted", entry, "delisted from ofac-sdn", sequence=1)
        assert delisting not in (None, first)
        # Listed again after the delisting: a new event of the entry, so a new alert.
        assert outbox.record_designation(rule, "listed", entry, "listed on ofac-sdn", sequence=2) not in (None, first, delisting)
        assert outbox.counts()["pending"] == 3
    finally:
        outbox.close()


def test_a_designation_rule_with_a_query_alerts_only_on_the_designations_it_finds(tradewire: Tradewire, site: LocalSite) -> None:
    hook, _ = _installation(tradewire, site, _without(SECHIN), {"query": 'name:"igor ivanovich sechin" program:RUSSIA*'})
    tradewire.run("lists", "refresh", check=True)
    site.put("/sdn.xml", SDN, "application/xml")
    assert "1 listed" in tradewire.run("lists", "refresh", check=True).stdout
    (alert,) = hook.received
    assert alert["name"] == "Igor Ivanovich SECHIN" and "query 'name:\"igor ivanovich sechin\" program:RUSSIA*' matched" in alert["why"]


def test_a_designation_rule_whose_query_finds_nothing_stays_silent(tradewire: Tradewire, site: LocalSite) -> None:
    hook, _ = _installation(tradewire, site, _without(SECHIN), {"query": "name:abramovich"})
    tradewire.run("lists", "refresh", check=True)
    site.put("/sdn.xml", SDN, "application/xml")
    assert "1 listed" in tradewire.run("lists", "refresh", check=True).stdout
    assert hook.attempts == 0


def test_a_designation_rule_with_article_filters_is_refused_with_the_reason() -> None:

    channels = {"log": {"type": "log"}}
    with pytest.raises(ValidationError, match="matches list designation events, not articles: remove tags"):
        AlertsFile.model_validate({"channels": channels, "rules": [
            {"name": "x", "designations": True, "tags": ["sanctions"], "channels": ["log"]}]})
    with pytest.raises(ValidationError, match="sets programs, which only designation rules have"):
        AlertsFile.model_validate({"channels": channels, "rules": [{"name": "x", "programs": ["SDGT"], "channels": ["log"]}]})
    with pytest.raises(ValidationError, match=r"its query names asserted:, tag:, which only articles have"):
        AlertsFile.model_validate({"channels": channels, "rules": [
            {"name": "x", "designations": True, "query": "tag:sanctions OR asserted:sanctions", "channels": ["log"]}]})
    AlertsFile.model_validate({"channels": channels, "rules": [  # a query on designations' own fields stands
        {"name": "x", "designations": True, "query": 'program:SDGT AND name:"Sechin"', "channels": ["log"]}]})


def test_serve_delivers_the_alert_of_a_listing_its_own_refresh_applied(tradewire: Tradewire, site: LocalSite) -> None:
    hook, _ = _installation(tradewire, site, _without(SECHIN), {})
    tradewire.write("lists.yaml", {"lists": [{"name": "ofac-sdn", "url": site.url("/sdn.xml"), "format": "ofac_sdn_xml",
                                              "interval": "2s"}]})
    served = Served(tradewire).start()
    try:
        # Loaded (the baseline, then not-modified every 2 s): the version in force is the one without Sechin.
        wait_for(lambda: _status(tradewire)["entries"] == len(ENTRIES) - 1, timeout=60, what="the list's first load")
        site.put("/sdn.xml", SDN, "application/xml")
        wait_for(lambda: hook.received, timeout=60, what="the listing's alert at the webhook")
        assert [alert["entry_id"] for alert in hook.received] == [_uid(SECHIN)]
    finally:
        served.stop()
    assert len(hook.received) == 1


def test_a_listing_applied_just_before_a_crash_still_alerts_at_the_next_refresh(tradewire: Tradewire, site: LocalSite) -> None:
    hook, _ = _installation(tradewire, site, _without(SECHIN), {})
    tradewire.run("lists", "refresh", check=True)
    # What a process killed between storing a version and recording its alerts leaves: the version in force with
    # its listing event, no alert in the outbox.
    with State(tradewire.data_dir / "state.db") as state:
        entries = read_list(io.BytesIO(SDN.encode()), "ofac_sdn_xml", "ofac-sdn")
        state.lists.apply("ofac-sdn", site.url("/sdn.xml"), entries, max_delisted_share=0.2, etag=None, last_modified=None)
    assert tradewire.json("alerts", "list") == []
    tradewire.run("lists", "refresh", check=True)  # the same version: nothing new is applied
    (alert,) = hook.received
    assert alert["entry_id"] == _uid(SECHIN)
    tradewire.run("lists", "refresh", check=True)
    tradewire.run("alerts", "deliver", check=True)
    assert len(hook.received) == 1, "handed over once the alert was recorded"

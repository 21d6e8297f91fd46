"""Alerts for real: a local webhook receiver, a local SMTP server, the outbox surviving failures and restarts."""

from __future__ import annotations

import json
import sqlite3
import time
from email.message import Message
from pathlib import Path

from tests.ingest.test_end_to_end import publish_seed
from tests.support.cli import Tradewire
from tests.support.feeds import item, news_page, rss
from tests.support.receivers import WebhookReceiver, free_port, smtp_server
from tradewire.ingest.demo.site import LocalSite
from tradewire.search.alerts.jsonl import JsonlFile

FAST_RETRIES = {"alerts": {"retry_base": "0.2s", "retry_max": "1s", "max_attempts": 3}}


def _rules(tradewire: Tradewire, channels: dict, rules: list[dict]) -> None:  # type: ignore[type-arg]
    tradewire.write("alerts.yaml", {"channels": channels, "rules": rules})


def test_webhook_gets_exactly_one_post_for_the_sample_article(site: LocalSite, tradewire: Tradewire, seed_text: str) -> None:
    receiver = WebhookReceiver(site)
    tradewire.feeds({"trade": publish_seed(site, seed_text)})
    _rules(tradewire, {"hook": {"type": "webhook", "url": receiver.url}},
           [{"name": "new-sanctions", "query": "tag:sanctions", "channels": ["hook"]}])

    first = tradewire.run("run-once", check=True)
    assert "1 delivered" in first.stdout
    assert len(receiver.received) == 1
    alert = receiver.received[0]
    assert alert["rule"] == "new-sanctions" and alert["source"] == "127.0.0.1"
    assert alert["url"].startswith(site.url("/news/china-us-talks.html"))
    sanctions = next(tag for tag in alert["tags"] if tag["name"] == "sanctions")
    assert sanctions["score"] >= 0.5 and any(e["text"] in seed_text for e in sanctions["evidence"])
    assert {"China", "United States"} <= {entity["name"] for entity in alert["entities"]}
    assert "tag:sanctions" in alert["why"]
    assert receiver.headers[0]["Idempotency-Key"] == alert["idempotency_key"]

    site.put("/feed.xml", site.resources["/feed.xml"].body, "application/rss+xml", conditional=False)
    tradewire.run("run-once", check=True)
    assert len(receiver.received) == 1 and receiver.attempts == 1

    listed = tradewire.json("alerts", "list")
    assert len(listed) == 1 and listed[0]["deliveries"][0]["status"] == "delivered"


def test_email_alert_has_readable_subject_and_evidence(site: LocalSite, tradewire: Tradewire, seed_text: str) -> None:
    with smtp_server() as (port, messages):
        tradewire.feeds({"trade": publish_seed(site, seed_text)})
        _rules(tradewire, {"mail": {"type": "email", "host": "127.0.0.1", "port": port, "security": "none",
                                    "from": "tradewire@example.org", "to": ["analyst@example.org"]}},
               [{"name": "sanctions-mail", "query": "tag:sanctions", "channels": ["mail"]}])
        tradewire.run("run-once", check=True)
        assert len(messages) == 1
        message: Message = messages[0]
    subject = " ".join(message["Subject"].split())  # a long header is folded onto two lines
    assert subject.startswith("[tradewire] sanctions-mail: sanctions imposed: China releases sincerity")
    assert message["To"] == "analyst@example.org"
    body = message.get_payload(decode=True).decode()
    assert "issued a suspension order to American companies" in body
    assert site.url("/news/china-us-talks.html") in body


def test_receiver_failing_then_down_then_back_gets_the_alert_once(site: LocalSite, tradewire: Tradewire, seed_text: str) -> None:
    tradewire.settings(FAST_RETRIES | {"alerts": {"retry_base": "0.2s", "retry_max": "1s", "max_attempts": 8}})
    port = free_port()
    tradewire.feeds({"trade": publish_seed(site, seed_text)})
    _rules(tradewire, {"hook": {"type": "webhook", "url": f"http://127.0.0.1:{port}/hook", "timeout": 2}},
           [{"name": "new-sanctions", "query": "tag:sanctions", "channels": ["hook"]}])

    with LocalSite(port=port) as failing:
        receiver = WebhookReceiver(failing, statuses=[500])
        first = tradewire.run("run-once", check=True)
        assert "1 to retry" in first.stdout and receiver.attempts == 1 and not receiver.received

    down = tradewire.run("alerts", "deliver", check=True)  # nothing listens on the port now
    assert "0 delivered" in down.stdout
    state = tradewire.json("alerts", "list")[0]["deliveries"][0]
    assert state["status"] == "pending" and state["attempts"] >= 1 and "connect" in state["last_error"].lower()

    with LocalSite(port=port) as back:
        receiver = WebhookReceiver(back)
        time.sleep(1.5)  # the retry falls due
        tradewire.run("alerts", "deliver", check=True)
        tradewire.run("alerts", "deliver", check=True)
        assert len(receiver.received) == 1
    delivered = tradewire.json("alerts", "list")[0]["deliveries"][0]
    assert delivered["status"] == "delivered"


def test_syndicated_copies_make_one_alert_listing_the_copy(site: LocalSite, tradewire: Tradewire) -> None:
    receiver = WebhookReceiver(site)
    text = ("The U.S. Department of Commerce on Tuesday added 27 Chinese companies to the Entity List, saying they "
            "supported China's military modernisation. Exporters will need a licence to ship to the listed entities. "
            "China's Ministry of Commerce said it firmly opposed the sanctions and would take necessary measures.")
    first, second = site.url("/a/listing.html"), site.url("/b/copy.html", host="localhost")
    site.put("/a/listing.html", news_page("US blacklists 27 Chinese firms", text, canonical=first, seed=1))
    site.put("/b/copy.html", news_page("Washington adds Chinese firms to Entity List", text, canonical=second, seed=2))
    site.put("/one.xml", rss([item(first, "US blacklists 27 Chinese firms")]), "application/rss+xml")
    site.put("/two.xml", rss([item(second, "Washington adds Chinese firms to Entity List")]), "application/rss+xml")
    tradewire.feeds({"wire-one": site.url("/one.xml"), "wire-two": site.url("/two.xml")})
    _rules(tradewire, {"hook": {"type": "webhook", "url": receiver.url}},
           [{"name": "new-sanctions", "query": "tag:sanctions", "channels": ["hook"]}])

    tradewire.run("run-once", check=True)
    assert len(receiver.received) == 1
    alerts = tradewire.json("alerts", "list")
    assert len(alerts) == 1
    assert len(alerts[0]["content"]["copies"]) == 1
    stories = {hit["story_id"] for hit in tradewire.json("search", "tag:sanctions")["hits"]}
    assert len(stories) == 1


def test_rules_requiring_a_measure_taken_ignore_denied_and_threatened_sanctions(site: LocalSite, tradewire: Tradewire) -> None:
    receiver = WebhookReceiver(site)
    pages = {
        "denied": ("EU does not sanction refiner", "European Union ministers did not impose sanctions on the refiner on Monday."),
        "threat": ("US threatens sanctions", "Washington threatened to impose sanctions on Chinese banks that help Moscow."),
        "taken": ("Treasury sanctions refiners", "The U.S. Treasury imposed sanctions on three Chinese refiners on Tuesday for buying Iranian oil."),
    }
    items = []
    for slug, (title, text) in pages.items():
        url = site.url(f"/n/{slug}.html")
        site.put(f"/n/{slug}.html", news_page(title, text + " " + text, canonical=url))
        items.append(item(url, title, description=text))
    site.put("/feed.xml", rss(items), "application/rss+xml")
    tradewire.feeds({"news": site.url("/feed.xml")})
    _rules(tradewire, {"hook": {"type": "webhook", "url": receiver.url}}, [
        {"name": "sanctions-taken", "query": "asserted:sanctions", "channels": ["hook"]},
        {"name": "sanctions-taken-by-flag", "query": "tag:sanctions", "asserted": True, "channels": ["hook"]},
    ])
    tradewire.run("run-once", check=True)
    assert sorted((alert["rule"], alert["title"]) for alert in receiver.received) == [
        ("sanctions-taken", "Treasury sanctions refiners"), ("sanctions-taken-by-flag", "Treasury sanctions refiners"),
    ]
    assert tradewire.json("search", "tag:sanctions")["total"] == 3


DIGEST_SECONDS = 10  # longer than a run-once of three articles takes


def test_digest_rule_sends_one_message_for_several_articles(site: LocalSite, tradewire: Tradewire) -> None:
    receiver = WebhookReceiver(site)
    items = []
    for number in range(3):
        url = site.url(f"/d/{number}.html")
        text = f"China imposed export controls on gallium batch {number}. Exporters need a licence for every shipment of item {number}."
        site.put(f"/d/{number}.html", news_page(f"Gallium controls {number}", text * 2, canonical=url, seed=number))
        items.append(item(url, f"Gallium controls {number}"))
    site.put("/feed.xml", rss(items), "application/rss+xml")
    tradewire.feeds({"news": site.url("/feed.xml")})
    _rules(tradewire, {"hook": {"type": "webhook", "url": receiver.url}},
           [{"name": "controls-digest", "query": "tag:export_controls", "mode": "digest", "digest": f"{DIGEST_SECONDS}s",
             "channels": ["hook"]}])
    # Digest periods are aligned on the clock: the run starts just after a period begins, so that its three
    # alerts fall in one period (a run that straddled a boundary made two digests, rightly).
    time.sleep(DIGEST_SECONDS - time.time() % DIGEST_SECONDS + 0.1)
    tradewire.run("run-once", check=True)
    time.sleep(DIGEST_SECONDS - time.time() % DIGEST_SECONDS + 0.5)
    tradewire.run("alerts", "deliver", check=True)
    assert len(receiver.received) == 1
    digest = receiver.received[0]
    assert digest["kind"] == "digest" and digest["count"] == 3
    assert sorted(alert["title"] for alert in digest["alerts"]) == [f"Gallium controls {n}" for n in range(3)]


def test_dead_letters_are_visible_and_replayable(site: LocalSite, tradewire: Tradewire, seed_text: str) -> None:
    tradewire.settings(FAST_RETRIES)
    receiver = WebhookReceiver(site, statuses=[503, 503, 503])
    tradewire.feeds({"trade": publish_seed(site, seed_text)})
    _rules(tradewire, {"hook": {"type": "webhook", "url": receiver.url, "format": "slack"}},
           [{"name": "new-sanctions", "query": "tag:sanctions", "channels": ["hook"]}])
    tradewire.run("run-once", check=True)
    for _ in range(2):
        time.sleep(1.3)
        tradewire.run("alerts", "deliver", check=True)
    dead = tradewire.json("alerts", "dead")
    assert len(dead) == 1 and dead[0]["deliveries"][0]["attempts"] == 3
    assert "HTTP 503" in dead[0]["deliveries"][0]["last_error"]
    replayed = tradewire.run("alerts", "replay", dead[0]["id"], check=True)
    assert "1 delivered" in replayed.stdout
    assert len(receiver.received) == 1 and receiver.received[0]["text"].startswith("*new-sanctions*")
    assert tradewire.json("alerts", "dead") == []


def test_rule_with_a_bad_query_is_rejected_with_its_position(tradewire: Tradewire) -> None:
    tradewire.write("alerts.yaml", "channels:\n  log: {type: log}\nrules:\n  - name: broken\n    query: 'tag:(sanctions'\n    channels: [log]\n")
    result = tradewire.run("alerts", "list")
    assert result.returncode == 2
    assert "alerts.yaml: line 5: rules[0].query: query error at position 14" in result.stderr
    tradewire.write("alerts.yaml", "channels:\n  log: {type: log}\nrules:\n  - name: r\n    query: 'tag:sanctions'\n    channels: [slack]\n")
    assert "names unknown channel(s) slack" in tradewire.run("alerts", "list").stderr


def test_alerts_test_dry_runs_a_rule_against_the_index(site: LocalSite, tradewire: Tradewire, seed_text: str) -> None:
    tradewire.feeds({"trade": publish_seed(site, seed_text)})
    _rules(tradewire, {"log": {"type": "log"}}, [{"name": "licences", "query": '"rare earth" AND tag:export_licenses', "channels": ["log"]}])
    tradewire.run("run-once", check=True)
    previews = json.loads(tradewire.run("alerts", "test", "licences", "--json", check=True).stdout)
    assert len(previews) == 1 and previews[0]["rule"] == "licences"
    assert tradewire.json("alerts", "list")[0]["rule"] == "licences"


LIFTING = (
    "The U.S. Treasury lifted sanctions on Syria's central bank on Friday, six months after the fall of the "
    "government in Damascus. The Office of Foreign Assets Control said U.S. persons may again deal with the bank, "
    "and that the assets it froze in 2011 would be released to the new authorities over the coming weeks. Officials "
    "said the decision followed talks with regional partners and did not affect the listings of former officials."
)


def test_a_lifting_alerts_as_lifted_under_the_shipped_rule_never_as_an_imposition(site: LocalSite, tradewire: Tradewire) -> None:
    page = site.url("/news/syria-lifted.html")
    site.put("/news/syria-lifted.html", news_page("US lifts sanctions on Syria's central bank", LIFTING, canonical=page))
    site.put("/feed.xml", rss([item(page, "US lifts sanctions on Syria's central bank")]), "application/rss+xml")
    tradewire.feeds({"wire": site.url("/feed.xml")})

    result = tradewire.run("run-once", check=True)  # the shipped alerts.yaml: new-sanctions to the log and alerts.jsonl
    assert "[tradewire] new-sanctions: sanctions lifted: US lifts sanctions" in result.stdout + result.stderr
    (alert,) = [json.loads(line) for line in (tradewire.data_dir / "alerts.jsonl").read_text().splitlines()]
    assert [(tag["name"], tag["modality"]) for tag in alert["tags"]] == [("sanctions", "lifted")]
    assert tradewire.json("search", "asserted:sanctions", "--json")["total"] == 0
    assert tradewire.json("search", "lifted:sanctions", "--json")["total"] == 1


def _copy_database(source: Path, target: Path) -> None:
    """A consistent copy of a SQLite database in WAL mode (its backup API), as `sqlite3 .backup` makes."""
    with sqlite3.connect(source) as reading, sqlite3.connect(target) as writing:
        reading.backup(writing)


def test_an_alert_sent_again_after_a_crash_is_the_same_e_mail_and_one_file_record(
    site: LocalSite, tradewire: Tradewire, seed_text: str,
) -> None:
    """A delivery written but never acknowledged (the process killed in between) is sent again: the e-mail is
    recognisably the same message and the JSON lines file still holds its key once."""
    tradewire.settings(FAST_RETRIES | {"alerts": {"retry_base": "0.2s", "retry_max": "0.5s", "max_attempts": 8}})
    port = free_port()
    tradewire.feeds({"trade": publish_seed(site, seed_text)})
    (tradewire.data_dir / "alerts.jsonl").mkdir(parents=True)  # not writable as a file: the first attempt fails
    _rules(tradewire, {"mail": {"type": "email", "host": "127.0.0.1", "port": port, "security": "none", "timeout": 2,
                                "from": "tradewire@example.org", "to": ["analyst@example.org"]},
                       "file": {"type": "jsonl", "path": "alerts.jsonl"}},
           [{"name": "new-sanctions", "query": "tag:sanctions", "channels": ["mail", "file"]}])
    first = tradewire.run("run-once", check=True)
    assert "2 to retry" in first.stdout, first.stdout  # no SMTP server yet, no file
    outbox = tradewire.data_dir / "alerts.db"
    before_sending = tradewire.root / "alerts-before-sending.db"
    _copy_database(outbox, before_sending)

    (tradewire.data_dir / "alerts.jsonl").rmdir()
    with smtp_server(port) as (_, messages):
        time.sleep(0.6)  # past the retry delay
        sent = tradewire.run("alerts", "deliver", check=True)
        assert "2 delivered" in sent.stdout, sent.stdout
        # The crash: the outbox is as it was before the sending, as if the acknowledgements were never written.
        _copy_database(before_sending, outbox)
        time.sleep(0.6)
        again = tradewire.run("alerts", "deliver", check=True)
        assert "2 delivered" in again.stdout, again.stdout
    assert len(messages) == 2  # at least once: SMTP cannot take a message back
    first_mail, second_mail = messages
    key = tradewire.json("alerts", "list")[0]
    assert first_mail["Message-ID"] == second_mail["Message-ID"]
    assert first_mail["Subject"] == second_mail["Subject"]
    records = [json.loads(line) for line in (tradewire.data_dir / "alerts.jsonl").read_text().splitlines()]
    assert len(records) == 1, records
    mail_key = first_mail["Message-ID"].strip("<>").split("@")[0]
    assert records[0]["rule"] == "new-sanctions" and records[0]["id"] == key["id"]
    assert mail_key != records[0]["idempotency_key"]  # one key per (alert, channel)
    assert len(mail_key) == len(records[0]["idempotency_key"]) == 32


def test_a_jsonl_record_torn_by_a_crash_is_written_again_on_a_line_of_its_own(tmp_path: Path) -> None:
    path = tmp_path / "alerts.jsonl"
    JsonlFile(path).append("key-1", {"rule": "r", "title": "first"})
    with path.open("ab") as file:  # the process died mid-write of the next record
        file.write(b'{"rule": "r", "title": "second", "idempotency_ke')
    # A new process (a new JsonlFile) retries both: the first is in the file, the torn one is not.
    retried = JsonlFile(path)
    assert retried.append("key-1", {"rule": "r", "title": "first"}) is False
    assert retried.append("key-2", {"rule": "r", "title": "second"}) is True
    lines = path.read_text().splitlines()
    assert lines[1] == '{"rule": "r", "title": "second", "idempotency_ke'
    assert [json.loads(line)["idempotency_key"] for line in (lines[0], lines[2])] == ["key-1", "key-2"]
    # Rotated away, the file starts afresh: the key is written to the new file.
    path.rename(tmp_path / "alerts.jsonl.1")
    assert retried.append("key-1", {"rule": "r", "title": "first"}) is True
    assert len(path.read_text().splitlines()) == 1

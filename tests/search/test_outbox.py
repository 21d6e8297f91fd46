"""The alert outbox on its own: an alert is never stored without its deliveries (even under kill -9), and two
dispatching processes never take the same delivery."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import textwrap
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from tradewire.core.article import Article
from tradewire.search.alerts import Outbox
from tradewire.search.alerts.matcher import RuleMatch
from tradewire.search.alerts.rules import Rule

REPO = Path(__file__).resolve().parents[2]
CHANNELS = ["hook", "mail"]


def _article(number: int) -> Article:
    return Article(
        id=f"article-{number}", url=f"https://example.org/{number}", canonical_url=f"https://example.org/{number}",
        feed="wire", source="example.org", title=f"Sanctions story {number}", fetched=datetime.now(timezone.utc),
        text="The EU imposed sanctions.", content_hash=f"hash-{number}", story_id=f"story-{number}",
    )


def _match() -> RuleMatch:
    return RuleMatch(Rule(name="new-sanctions", query="tag:sanctions", channels=CHANNELS), [], "tag:sanctions")


def _run(script: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", textwrap.dedent(script), *args], stdout=subprocess.PIPE,
                            text=True, cwd=REPO)


_RECORD_FOREVER = """
    import sys
    from pathlib import Path
    from tests.search.test_outbox import _article, _match
    from tradewire.search.alerts import Outbox
    outbox = Outbox(Path(sys.argv[1]))
    print("ready", flush=True)
    number = 0
    while True:
        outbox.record(_match(), _article(number))
        number += 1
"""


def test_alerts_recorded_until_kill_9_each_have_all_their_deliveries(tmp_path: Path) -> None:
    path = tmp_path / "alerts.db"
    recorder = _run(_RECORD_FOREVER, str(path))
    assert recorder.stdout is not None and recorder.stdout.readline().strip() == "ready"
    time.sleep(1.5)
    recorder.send_signal(signal.SIGKILL)
    recorder.wait()
    outbox = Outbox(path)
    try:
        alerts = outbox.recent(limit=100_000)
        assert len(alerts) > 10
        assert all(sorted(d["channel"] for d in alert["deliveries"]) == CHANNELS for alert in alerts)
    finally:
        outbox.close()


_CLAIM_ALL = """
    import json, sys
    from datetime import timedelta
    from pathlib import Path
    from tradewire.search.alerts import Outbox
    outbox = Outbox(Path(sys.argv[1]))
    claimed = []
    while batch := outbox.claim_due(lease=timedelta(minutes=10), limit=3):
        claimed += [[delivery.alert_id, delivery.channel] for delivery in batch]
    print(json.dumps(claimed))
"""


def test_two_dispatchers_never_take_the_same_delivery(tmp_path: Path) -> None:
    path = tmp_path / "alerts.db"
    outbox = Outbox(path)
    try:
        for number in range(150):
            outbox.record(_match(), _article(number), now=datetime.now(timezone.utc) - timedelta(seconds=1))
    finally:
        outbox.close()
    dispatchers = [_run(_CLAIM_ALL, str(path)) for _ in range(2)]
    claims = [json.loads(dispatcher.communicate(timeout=120)[0]) for dispatcher in dispatchers]
    assert all(dispatcher.returncode == 0 for dispatcher in dispatchers)
    first, second = ({tuple(claim) for claim in taken} for taken in claims)
    assert not first & second, "a delivery was leased to both dispatchers"
    assert len(first | second) == 150 * len(CHANNELS) == len(claims[0]) + len(claims[1])

"""The state stores on their own: atomic acceptance (a failure or a kill -9 mid-way leaves no half-accepted
article), several processes writing at once, entries' retry bookkeeping, story matching."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tradewire.ingest.articles.signature import signature
from tradewire.ingest.state import AcceptedArticle, State, StateError

STORY = (
    "The United States added 27 Chinese companies to the Entity List on Tuesday, barring exports of American "
    "chipmaking tools to them without a licence, the Commerce Department said in a statement."
)


def _accepted(number: int, *, text: str = STORY, document: str | None = "{}") -> AcceptedArticle:
    return AcceptedArticle(
        feed="wire", key=f"entry-{number}", link=f"https://example.org/{number}", article_id=f"article-{number}",
        canonical_url=f"https://example.org/{number}", content_hash=f"hash-{number}", story_id=f"article-{number}",
        signature=signature("", f"{text} {number}"), document=document,  # type: ignore[arg-type]
    )


def _consistent(path: Path) -> tuple[int, int]:
    """(accepted, spooled); every accepted article has its entry marked done and its document spooled."""
    with State(path) as state:
        documents = {row[0] for row in state._db.rows("SELECT id FROM documents")}
        spooled = {row[0] for row in state._db.rows("SELECT article_id FROM spool")}
        done = {row[0] for row in state._db.rows("SELECT article_id FROM entries WHERE state = 'done'")}
    assert documents == spooled == done, "an article was half accepted"
    return len(documents), len(spooled)


def test_a_failed_acceptance_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    with State(path) as state:
        state.accept(_accepted(1))
        with pytest.raises(StateError, match="cannot write the state database"):
            state.accept(_accepted(2, document=None))  # the spool refuses a NULL document, after the story was written
        assert state.stories.version_of("article-2") is None
        assert state.entries.attempts("wire", "entry-2") == 0
    assert _consistent(path) == (1, 1)


_ACCEPT_FOREVER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from tests.ingest.test_state import _accepted
    from tradewire.ingest.state import State
    state = State(Path(sys.argv[1]))
    number = int(sys.argv[2])
    print("ready", flush=True)
    while True:
        state.accept(_accepted(number))
        number += 2
""")


def _writer(path: Path, start: int) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        [sys.executable, "-c", _ACCEPT_FOREVER, str(path), str(start)], stdout=subprocess.PIPE, text=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert process.stdout is not None and process.stdout.readline().strip() == "ready"
    return process


def test_two_processes_accepting_at_once_then_killed_leave_every_article_whole(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    State(path).close()
    writers = [_writer(path, 0), _writer(path, 1)]
    time.sleep(2)
    for writer in writers:
        writer.send_signal(signal.SIGKILL)
        writer.wait()
        assert writer.returncode == -signal.SIGKILL, "a writer failed (database locked?) before it was killed"
    accepted, _ = _consistent(path)
    assert accepted > 20, "both writers got their turns"
    with State(path) as state:
        numbers = {int(row[0].split("-")[1]) for row in state._db.rows("SELECT id FROM documents")}
    assert {number % 2 for number in numbers} == {0, 1}


def test_entries_to_retry_then_done_and_updated_versions(tmp_path: Path) -> None:
    with State(tmp_path / "state.db") as state:
        state.entries.record_failure("wire", "a", "https://example.org/a", "timed out", retry=True, version="v1")
        state.entries.record_failure("wire", "b", "https://example.org/b", "HTTP 404", retry=False, version="v1")
        state.entries.mark_done("wire", "c", "https://example.org/c", "article-c", "v1")
        versions = {"a": "v1", "b": "v1", "c": "v1", "d": "v1"}
        assert state.entries.to_process("wire", versions, max_attempts=3) == {"a", "d"}
        assert state.entries.has_retries("wire", max_attempts=3)
        state.entries.record_failure("wire", "a", "https://example.org/a", "timed out", retry=True, version="v1")
        state.entries.record_failure("wire", "a", "https://example.org/a", "timed out", retry=True, version="v1")
        assert state.entries.attempts("wire", "a") == 3
        assert not state.entries.has_retries("wire", max_attempts=3), "three attempts used up"
        assert state.entries.to_process("wire", {**versions, "c": "v2"}, max_attempts=3) == {"c", "d"}


def test_a_syndicated_copy_joins_the_story_and_another_text_does_not(tmp_path: Path) -> None:
    with State(tmp_path / "state.db") as state:
        state.accept(_accepted(1, text=STORY + " Beijing protested."))
        copy = signature("", STORY + " Beijing protested at once, its foreign ministry said.")
        other = signature("", "Talks between the EU and India on a free trade agreement resumed in Brussels.")
        assert state.stories.find("article-2", copy) == "article-1"
        assert state.stories.find("article-3", other) is None
        assert state.stories.find("article-1", signature("", STORY + " 1")) is None, "an article is not its own copy"


def test_a_read_that_sqlite_refuses_is_the_stores_error(tmp_path: Path) -> None:
    state = State(tmp_path / "state.db")
    with sqlite3.connect(tmp_path / "state.db") as other:  # the table a read needs goes missing underneath
        other.execute("DROP TABLE feed_state")
    with pytest.raises(StateError, match=r"cannot read .*state\.db.*no such table"):
        state.feeds.get("wire")

"""The list store on its own: entries kept exactly, a baseline without events, one transaction per version, a
refused version changing nothing."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from tradewire.ingest.lists import read_list
from tradewire.ingest.state import State
from tradewire.ingest.state.lists import RefusedVersion, entry_from_json, entry_json

DATA = Path(__file__).resolve().parents[1] / "data" / "lists"


def _entries(format_name: str, file_name: str, list_name: str = "test-list"):  # type: ignore[no-untyped-def]
    with (DATA / file_name).open("rb") as stream:
        return read_list(stream, format_name, list_name)


@pytest.mark.parametrize(("format_name", "file_name"), [("ofac_sdn_xml", "ofac_sdn_xml.xml"), ("ftm_json", "ftm_json.jsonl"),
                                                       ("uk_csv", "uk_csv.csv"), ("eu_fsf_xml", "eu_fsf_xml.xml")])
def test_every_entry_is_stored_as_it_was_read(format_name: str, file_name: str) -> None:
    for entry in _entries(format_name, file_name):
        assert entry_from_json(entry.list_name, entry.entry_id, entry_json(entry)) == entry


def test_a_baseline_then_a_version_with_changes(tmp_path: Path) -> None:
    entries = _entries("ofac_sdn_xml", "ofac_sdn_xml.xml", "sdn")
    with State(tmp_path / "state.db") as state:
        first = state.lists.apply("sdn", "http://x/sdn.xml", entries, max_delisted_share=0.2, etag='"a"', last_modified=None)
        assert first.baseline and (first.listed, first.delisted, first.amended) == (0, 0, 0)
        assert state.lists.designations() == [] and {e.entry_id for e in state.lists.entries()} == {e.entry_id for e in entries}

        gone, changed = entries[0], entries[1]
        added = dataclasses.replace(entries[2], entry_id="new-1", names=("NEW PARTY TRADING LLC",))
        amended = dataclasses.replace(changed, programs=(*changed.programs, "NEW-PROGRAM"))
        second = [amended, *entries[2:], added]
        changes = state.lists.apply("sdn", "http://x/sdn.xml", second, max_delisted_share=0.2, etag='"b"', last_modified=None)
        assert not changes.baseline and (changes.listed, changes.delisted, changes.amended) == (1, 1, 1)
        events = {(event.event, event.entry.entry_id): event.entry for event in state.lists.designations(list_name="sdn")}
        assert set(events) == {("listed", "new-1"), ("delisted", gone.entry_id), ("amended", changed.entry_id)}
        assert events[("delisted", gone.entry_id)] == gone  # as it stood before it went
        assert events[("amended", changed.entry_id)].programs[-1] == "NEW-PROGRAM"
        stored = state.lists.get("sdn")
        assert stored is not None and stored.entry_count == len(second) and stored.etag == '"b"' and stored.last_outcome == "applied"
        assert state.lists.designation_counts()["sdn"] == {"listed": 1, "delisted": 1, "amended": 1}


def test_a_version_delisting_too_much_changes_nothing(tmp_path: Path) -> None:
    entries = _entries("ftm_json", "ftm_json.jsonl", "os")
    with State(tmp_path / "state.db") as state:
        state.lists.apply("os", "http://x/os.json", entries, max_delisted_share=0.2, etag='"a"', last_modified=None)
        with pytest.raises(RefusedVersion, match="would delist"):
            state.lists.apply("os", "http://x/os.json", entries[: len(entries) // 2], max_delisted_share=0.2,
                              etag='"b"', last_modified=None)
        assert sorted(e.entry_id for e in state.lists.entries(["os"])) == sorted(e.entry_id for e in entries)
        assert state.lists.designations() == [] and state.lists.get("os").etag == '"a"'  # type: ignore[union-attr]

"""The JSON lines file of a `jsonl` channel: one record per idempotency key, even when an alert is sent again.

A delivery written to the file but not acknowledged in the outbox (the process killed in between) is sent again
after its lease; the key is then found in the file and nothing is written. Each record ends with its key
(`..., "idempotency_key": "KEY"}`), so a complete line is known to hold its key without parsing it, and a line
torn by a crash mid-write holds none: the record is written again after it, on a line of its own. The keys are read
once per file and then only what was appended since (by this process or another); a file rotated away or
truncated is read afresh.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

_KEY_AT_END = re.compile(rb'"idempotency_key": "([^"\\]+)"\}$')


class JsonlFile:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._keys: set[str] = set()
        self._identity: tuple[int, int] | None = None
        self._read_to = 0
        self._torn = False  # the file ends in a line without its newline

    def append(self, key: str, record: dict[str, Any]) -> bool:
        """Write `record` with its key unless the file already holds the key; whether it wrote (synced to disk)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a+b") as file:
            self._catch_up(file)
            if key in self._keys:
                return False
            line = json.dumps({**record, "idempotency_key": key}, ensure_ascii=False).encode() + b"\n"
            file.write(b"\n" + line if self._torn else line)
            file.flush()
            os.fsync(file.fileno())
            self._keys.add(key)
            self._read_to, self._torn = file.tell(), False
            return True

    def _catch_up(self, file: Any) -> None:
        status = os.fstat(file.fileno())
        identity = (status.st_dev, status.st_ino)
        if identity != self._identity or status.st_size < self._read_to:
            self._keys, self._identity, self._read_to = set(), identity, 0
        file.seek(self._read_to)
        self._torn = False
        for line in file:  # line by line: a long file is read once, never held whole
            if not line.endswith(b"\n"):
                self._torn = True
                break
            found = _KEY_AT_END.search(line, 0, len(line) - 1)
            if found:
                self._keys.add(found.group(1).decode())
            self._read_to += len(line)

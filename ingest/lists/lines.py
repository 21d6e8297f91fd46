"""Line-based list files (CSV, JSON lines) read as a stream of text lines, with where each one broke.

A record cut short at the end of the file (no final line break) is a truncated file, as is a quoted
CSV field left open; bytes that are not UTF-8 are a malformed file. A file cut exactly at a line
break cannot be told from a shorter list: the caller's check on how many entries disappeared covers it.
"""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterator
from typing import BinaryIO

from tradewire.ingest.lists.errors import ListFormatError

_CHUNK = 1 << 16
_LONGEST_LINE = 4 << 20


def text_lines(stream: BinaryIO, list_name: str, format_name: str) -> Iterator[tuple[int, str]]:
    """(line number, line with its line break) for each line of a UTF-8 file (a BOM is dropped)."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    number, pending = 0, ""
    while True:
        chunk = stream.read(_CHUNK)
        try:
            pending += decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError as error:
            line = number + pending.count("\n") + chunk[: error.start].count(b"\n") + 1
            raise ListFormatError(list_name, format_name, f"line {line}",
                                  f"not UTF-8 text ({error.reason})") from None
        *lines, pending = pending.split("\n")
        if len(pending) > _LONGEST_LINE:
            raise ListFormatError(list_name, format_name, f"line {number + len(lines) + 1}",
                                  f"a line longer than {_LONGEST_LINE:,} characters (not a list of this format)")
        for line in lines:
            number += 1
            yield number, line + "\n"
        if not chunk:
            break
    if pending:
        raise ListFormatError(list_name, format_name, f"line {number + 1}", "the file ends inside a record (truncated?)")


def csv_records(stream: BinaryIO, list_name: str, format_name: str, required: set[str]) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, row by column name) for each row after the header: the first row holding every `required` column.

    Rows before the header (the UK list's 'Last Updated' line) are skipped; a row whose number of fields
    differs from the header's, or a file that never shows the header, is refused.
    """
    lines = text_lines(stream, list_name, format_name)
    position = {"line": 0}

    def numbered() -> Iterator[str]:
        for number, line in lines:
            position["line"] = number
            yield line

    reader = csv.reader(numbered(), strict=True)
    header: list[str] | None = None
    try:
        for row in reader:
            if header is None:
                names = [cell.strip() for cell in row]
                if required <= set(names):
                    header = names
                elif position["line"] >= 5:
                    break
                continue
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                raise ListFormatError(list_name, format_name, f"line {position['line']}",
                                      f"{len(row)} fields, the header has {len(header)}")
            yield position["line"], dict(zip(header, row))
    except csv.Error as error:
        raise ListFormatError(list_name, format_name, f"line {position['line']}", f"malformed CSV ({error})") from None
    if header is None:
        missing = ", ".join(sorted(required))
        raise ListFormatError(list_name, format_name, "line 1", f"no header with the columns {missing}")

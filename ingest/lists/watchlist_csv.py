"""Importing counterparties from a CSV file into `watchlist.yaml`: columns name, aliases, country, identifiers, note
(aliases and identifiers `;`-separated; only name is required), one party a line.

The file is read whole and every line checked before anything is written: a line that is not a valid party is
reported with its number and the column at fault, and then nothing is imported. A party already on the watchlist
(the same name, case aside) is merged: its aliases and identifiers gain the new ones, its country and note take
the file's when it gives them. The YAML file keeps its comments and is replaced atomically.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from tradewire.ingest.lists.watchlist import WatchedParty, WatchlistFile

COLUMNS = ("name", "aliases", "country", "identifiers", "note")


class WatchlistCsvError(ValueError):
    """The CSV file cannot be imported: each problem with its line."""

    def __init__(self, path: Path, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(f"{path}: {problem}" for problem in problems))


@dataclass(frozen=True, slots=True)
class ImportReport:
    added: int
    merged: int
    parties: int  # on the watchlist afterwards


def read_watchlist_csv(path: Path) -> list[WatchedParty]:
    """Every party of the file, or WatchlistCsvError naming each bad line."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise WatchlistCsvError(path, [f"cannot be read: {error}"]) from None
    reader = csv.DictReader(io.StringIO(text))
    header = [column.strip().lower() for column in reader.fieldnames or []]
    unknown = [column for column in header if column not in COLUMNS]
    if "name" not in header or unknown:
        found = f"; unknown: {', '.join(unknown)}" if unknown else ""
        raise WatchlistCsvError(
            path, [f"line 1: the header must name the columns {', '.join(COLUMNS)} (name required){found}"]
        )
    reader.fieldnames = header
    parties: list[WatchedParty] = []
    problems: list[str] = []
    for row in reader:
        if None in row:
            problems.append(f"line {reader.line_num}: more fields than the header's {len(header)} columns")
            continue
        values = {key: (value or "").strip() for key, value in row.items()}
        if not any(values.values()):
            continue
        try:
            parties.append(
                WatchedParty(
                    name=values["name"],
                    aliases=_several(values.get("aliases")),
                    country=values.get("country") or None,
                    identifiers=_several(values.get("identifiers")),
                    note=values.get("note", ""),
                )
            )
        except ValidationError as error:
            problems += [
                f"line {reader.line_num}: {_column(issue['loc'])}: {_message(issue['msg'])}" for issue in error.errors()
            ]
    if problems:
        raise WatchlistCsvError(path, problems)
    return parties


def import_into(target: Path, parties: list[WatchedParty]) -> ImportReport:
    """Add or merge `parties` into the watchlist file `target`."""
    yaml = YAML()
    document = yaml.load(target.read_text(encoding="utf-8")) if target.exists() else None
    if not isinstance(document, CommentedMap):
        document = CommentedMap()
    if not isinstance(document.get("parties"), list) or not document["parties"]:
        document["parties"] = CommentedSeq()  # the shipped `parties: []` would stay a one-line list
    stored = document["parties"]
    by_name = {str(entry.get("name", "")).casefold(): entry for entry in stored if isinstance(entry, dict)}
    added = merged = 0
    for party in parties:
        entry = by_name.get(party.name.casefold())
        if entry is None:
            entry = CommentedMap(name=party.name)
            stored.append(entry)
            by_name[party.name.casefold()] = entry
            added += 1
        else:
            merged += 1
        for key, values in (("aliases", party.aliases), ("identifiers", party.identifiers)):
            if values:
                entry[key] = list(dict.fromkeys([*(entry.get(key) or []), *values]))
        for key, value in (("country", party.country), ("note", party.note)):
            if value:
                entry[key] = value
    buffer = io.StringIO()
    yaml.dump(document, buffer)
    checked = WatchlistFile.model_validate(YAML(typ="safe").load(buffer.getvalue()))
    temporary = target.with_suffix(".yaml.tmp")
    temporary.write_text(buffer.getvalue(), encoding="utf-8")
    temporary.replace(target)
    return ImportReport(added, merged, len(checked.parties))


def _several(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(";") if part.strip()]


def _column(location: tuple[int | str, ...]) -> str:
    return str(location[0]) if location else "line"


def _message(message: str) -> str:
    return message.removeprefix("Value error, ")

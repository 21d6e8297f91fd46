"""The one error a list parser raises: the file is not a complete, well-formed list of its format."""

from __future__ import annotations


class ListFormatError(Exception):
    """A list file that is malformed, truncated or of another schema; `where` says where it broke."""

    def __init__(self, list_name: str, format_name: str, where: str, reason: str) -> None:
        self.list_name = list_name
        self.format_name = format_name
        self.where = where
        self.reason = reason
        super().__init__(f"list {list_name!r} ({format_name}): {where}: {reason}")

"""Lucene-style query text -> `Query` tree, with errors that say where and what went wrong.

Supported: words, "phrases", AND / OR / NOT / - / +, (grouping), field:value, field:"phrase",
field:(a OR b), trailing-* prefixes, date ranges `published:[2025-06-01 TO 2025-06-30]`,
`published:>=2025-06-01`, `published:>=now-7d`. Words next to each other must all match.

A date bound beyond the dates that can be written (years 1 to 9999: `published:[0001-01-01 TO 9999-12-31]`,
`now-9999999d`) is held at the first or last of them: no article is dated outside, so the bound selects what
it says (everything before, or nothing after).
"""

from __future__ import annotations

import re
import threading
from datetime import datetime, timedelta, timezone
from decimal import InvalidOperation

from luqum import tree
from luqum.exceptions import IllegalCharacterError, ParseError
from luqum.parser import parser as _luqum_parser

from tradewire.core.durations import parse_duration
from tradewire.search.analysis import analyze
from tradewire.search.query.ast import And, DateRange, Keyword, MatchAll, Not, Or, Query, Text, all_of
from tradewire.search.query.fields import FIELDS, FieldSpec, resolve_field

MAX_QUERY_LENGTH = 2000
MAX_DEPTH = 32
MAX_TERMS = 200

# luqum's PLY parser keeps state in module globals; the API may parse from several threads.
_parse_lock = threading.Lock()


class QuerySyntaxError(ValueError):
    def __init__(self, message: str, position: int | None = None) -> None:
        self.message = message
        self.position = position
        where = f" at position {position}" if position is not None else ""
        super().__init__(f"query error{where}: {message}")


def parse_query(text: str, *, now: datetime | None = None) -> Query:
    """Parse a query; an empty query matches everything. Raises QuerySyntaxError."""
    if len(text) > MAX_QUERY_LENGTH:
        raise QuerySyntaxError(f"query is {len(text)} characters long; the limit is {MAX_QUERY_LENGTH}")
    _check_nesting(text)
    if not text.strip():
        return MatchAll()
    try:
        with _parse_lock:
            parsed = _luqum_parser.parse(text)
    except IllegalCharacterError as error:
        raise QuerySyntaxError(_describe(error), _position(error, text)) from None
    except ParseError as error:
        raise QuerySyntaxError(_describe(error), _position(error, text)) from None
    except (InvalidOperation, ValueError):  # luqum reads the number after ^ or ~ while parsing: "a^.", "a~.", '"a b"~.'
        where = next((index for index, character in enumerate(text) if character in "^~"), None)
        raise QuerySyntaxError("boosts (^), fuzzy and proximity (~) queries are not supported", where) from None
    converter = _Converter(now or datetime.now(timezone.utc))
    query = converter.convert(parsed, None)
    if converter.terms > MAX_TERMS:
        raise QuerySyntaxError(f"query has {converter.terms} terms; the limit is {MAX_TERMS}")
    return query


EARLIEST = datetime.min.replace(tzinfo=timezone.utc)
LATEST = datetime.max.replace(tzinfo=timezone.utc)


def shifted(moment: datetime, delta: timedelta) -> datetime:
    """`moment + delta`, held within the dates that can be written (see the module's docstring)."""
    try:
        return moment + delta
    except OverflowError:
        return LATEST if delta > timedelta(0) else EARLIEST


def parse_date_bound(value: str, now: datetime | None = None) -> tuple[datetime, bool]:
    """A date value: ISO date or datetime, `now`, or `now-7d`. Returns (UTC datetime, whether it was a bare date)."""
    now = now or datetime.now(timezone.utc)
    lowered = value.strip().lower()
    if lowered.startswith("now"):
        rest = lowered[3:]
        if not rest:
            return now, False
        if rest[0] in "+-":
            delta = parse_duration(rest[1:])
            return shifted(now, -delta if rest[0] == "-" else delta), False
        raise ValueError(f"invalid date {value!r}")
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(f"invalid date {value!r} (expected e.g. 2025-06-08, 2025-06-08T10:00:00Z or now-7d)") from None
    bare = len(value.strip()) == 10
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=timezone.utc), bare
    offset = parsed.utcoffset() or timedelta(0)
    return shifted(parsed.replace(tzinfo=timezone.utc), -offset), bare  # 0001-01-01T00:00+01:00 is before year 1 in UTC


def _check_nesting(text: str) -> None:
    depth = 0
    for position, char in enumerate(text):
        if char == "(":
            depth += 1
            if depth > MAX_DEPTH:
                raise QuerySyntaxError(f"parentheses nest deeper than {MAX_DEPTH}", position)
        elif char == ")":
            depth -= 1


def _describe(error: Exception) -> str:
    message = str(error)
    message = re.sub(r"\s*at position \d+!?$", "", message)
    message = re.sub(r"\s*at the end!?$", "", message)
    message = message.replace("Syntax error in input : ", "").replace("  ", " ")
    if "unexpected end of expression" in message:
        return "the query ends too early (an operator, a field or a parenthesis is left open)"
    return message


def _position(error: Exception, text: str) -> int | None:
    match = re.search(r"at position (\d+)", str(error))
    if match:
        return int(match.group(1))
    return len(text) if "at the end" in str(error) else None


class _Converter:
    def __init__(self, now: datetime) -> None:
        self.now = now
        self.terms = 0

    def convert(self, node: tree.Item, field: FieldSpec | None) -> Query:
        if isinstance(node, (tree.AndOperation, tree.UnknownOperation)):
            return self._combine(node, field, And)
        if isinstance(node, tree.OrOperation):
            return self._combine(node, field, Or)
        if isinstance(node, (tree.Not, tree.Prohibit)):
            inner = self.convert(node.children[0], field)
            if isinstance(inner, MatchAll):
                raise QuerySyntaxError("NOT needs something to exclude", node.pos)
            return Not(inner)
        if isinstance(node, (tree.Plus, tree.Group, tree.FieldGroup)):
            return self.convert(node.children[0], field)
        if isinstance(node, tree.SearchField):
            if field is not None:
                raise QuerySyntaxError(f"field {node.name!r} inside field {field.name!r}", node.pos)
            spec = resolve_field(node.name)
            if spec is None:
                known = ", ".join(FIELDS)
                raise QuerySyntaxError(f"unknown field {node.name!r} (known fields: {known})", node.pos)
            if spec.name == "name":  # a designation's names and aliases are its text
                return all_of(Keyword("kind", "designation"), self.convert(node.expr, FIELDS["text"]))
            return self.convert(node.expr, spec)
        if isinstance(node, (tree.Word, tree.Phrase)):
            self.terms += 1
            return self._term(node, field)
        if isinstance(node, (tree.Range, tree.From, tree.To)):
            self.terms += 1
            return self._range(node, field)
        if isinstance(node, tree.Boost):
            raise QuerySyntaxError("boosts (^) are not supported", node.pos)
        if isinstance(node, (tree.Fuzzy, tree.Proximity)):
            raise QuerySyntaxError("fuzzy and proximity (~) queries are not supported", node.pos)
        if isinstance(node, tree.Regex):
            raise QuerySyntaxError("regular expressions are not supported", node.pos)
        raise QuerySyntaxError(f"unsupported query element {str(node)!r}", node.pos)

    def _combine(self, node: tree.BaseOperation, field: FieldSpec | None, kind: type[And] | type[Or]) -> Query:
        items = [self.convert(child, field) for child in node.children]
        if any(isinstance(item, MatchAll) for item in items):
            if kind is Or:
                return MatchAll()
            items = [item for item in items if not isinstance(item, MatchAll)]
        if kind is And:
            return all_of(*items)
        flat: list[Query] = []
        for item in items:
            flat.extend(item.items if isinstance(item, Or) else (item,))
        return flat[0] if len(flat) == 1 else Or(tuple(flat))

    def _term(self, node: tree.Word | tree.Phrase, field: FieldSpec | None) -> Query:
        is_phrase = isinstance(node, tree.Phrase)
        value = node.value[1:-1] if is_phrase else node.value
        value = value.replace("\\", "")
        if field is not None and field.kind == "date":
            return self._day(value, field, node.pos)
        prefix = not is_phrase and value.endswith("*") and len(value.rstrip("*")) > 0
        value = value.rstrip("*") if prefix else value
        if not is_phrase and ("*" in value or "?" in value):
            if value == "*":
                # field:* on a keyword field: the article has any value there (listed:* for any listed party).
                return Keyword(field.name, "", prefix=True) if field is not None and field.kind == "keyword" else MatchAll()
            raise QuerySyntaxError(f"wildcards are only supported at the end of a word ({node.value!r})", node.pos)
        if field is not None and field.kind == "keyword":
            if not value.strip():
                raise QuerySyntaxError(f"empty value for field {field.name!r}", node.pos)
            return Keyword(field.name, value.strip().lower(), prefix)
        terms = analyze(value)
        if not terms:
            return MatchAll()
        if prefix:
            if len(terms) > 1:
                raise QuerySyntaxError(f"a prefix (*) applies to one word, not {node.value!r}", node.pos)
            return Text(value, field.name if field else None, prefix=True)
        return Text(value, field.name if field else None, phrase=is_phrase or len(terms) > 1)

    def _day(self, value: str, field: FieldSpec, position: int | None) -> Query:
        start, bare = self._date(value, position)
        return DateRange(field.name, start, shifted(start, timedelta(days=1) if bare else timedelta(microseconds=1)))

    def _range(self, node: tree.Range | tree.From | tree.To, field: FieldSpec | None) -> Query:
        if field is None or field.kind != "date":
            name = field.name if field else "(no field)"
            raise QuerySyntaxError(f"ranges are only supported on date fields (published, fetched), not {name}", node.pos)
        if isinstance(node, tree.Range):
            low = self._bound(node.low, node.include_low, upper=False)
            high = self._bound(node.high, node.include_high, upper=True)
            return DateRange(field.name, low, high)
        if isinstance(node, tree.From):
            return DateRange(field.name, self._bound(node.a, node.include, upper=False), None)
        return DateRange(field.name, None, self._bound(node.a, node.include, upper=True))

    def _bound(self, node: tree.Item, include: bool, *, upper: bool) -> datetime | None:
        value = str(node).strip('"')
        if value == "*":
            return None
        moment, bare = self._date(value, node.pos)
        step = timedelta(days=1) if bare else timedelta(microseconds=1)
        # Normalise to an inclusive start and an exclusive end.
        if upper:
            return shifted(moment, step) if include else moment
        return moment if include else shifted(moment, step)

    def _date(self, value: str, position: int | None) -> tuple[datetime, bool]:
        try:
            return parse_date_bound(value, self.now)
        except ValueError as error:
            raise QuerySyntaxError(str(error), position) from None


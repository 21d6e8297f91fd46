"""A query text plus the shorthand filters the CLI and the API offer (--tag, --entity, --source, --since, --until),
and the kinds of document a search is about: a query that names no `kind:` finds articles only, so that `sanctions`
brings news, not list entries; `kind:designation` or a field of designations (`list:`, `program:`, `event:`,
`entry:`, `name:`) brings designations, `kind:*` both."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime, timedelta, timezone

from tradewire.core.durations import parse_duration
from tradewire.search.query.ast import DateRange, Keyword, Not, Query, all_of, keywords
from tradewire.search.query.fields import DESIGNATION_FIELDS
from tradewire.search.query.parser import QuerySyntaxError, parse_date_bound, parse_query, shifted


def with_filters(
    text: str,
    *,
    tags: Sequence[str] = (),
    entities: Sequence[str] = (),
    sources: Sequence[str] = (),
    since: str | None = None,
    until: str | None = None,
    now: datetime | None = None,
) -> Query:
    """`text` AND every filter, of the kinds the query names (articles when it names none); `since`/`until` take a
    span back from now (7d, 12h) or a date (inclusive)."""
    now = now or datetime.now(timezone.utc)
    parts: list[Query] = [of_kinds_named(parse_query(text, now=now))]
    parts += [Keyword("tag", tag.lower()) for tag in tags]
    parts += [Keyword("entity", entity.lower()) for entity in entities]
    parts += [Keyword("source", source.lower()) for source in sources]
    if since or until:
        start = _moment(since, now, upper=False) if since else None
        end = _moment(until, now, upper=True) if until else None
        parts.append(DateRange("published", start, end))
    return all_of(*parts)


def of_kinds_named(query: Query) -> Query:
    """`query`, limited to articles unless it names a kind or a field of designations. (Not designations, rather
    than kind:article: an index written before documents had kinds holds articles only, without the key.)"""
    if any(keyword.field == "kind" or keyword.field in DESIGNATION_FIELDS for keyword in keywords(query)):
        return query
    return all_of(query, Not(Keyword("kind", "designation")))


def _moment(value: str, now: datetime, *, upper: bool) -> datetime:
    if re.fullmatch(r"\d+(\.\d+)?\s*[smhdw]\w*", value.strip()):
        try:
            return shifted(now, -parse_duration(value))
        except ValueError as error:
            raise QuerySyntaxError(str(error)) from None
    try:
        moment, bare = parse_date_bound(value, now)
    except ValueError as error:
        raise QuerySyntaxError(str(error)) from None
    return shifted(moment, timedelta(days=1)) if upper and bare else moment

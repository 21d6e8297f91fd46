"""A query text plus the shorthand filters the CLI and the API offer (--tag, --entity, --source, --since, --until)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime, timedelta, timezone

from tradewire.core.durations import parse_duration
from tradewire.search.query.ast import DateRange, Keyword, Query, all_of
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
    """`text` AND every filter; `since`/`until` take a span back from now (7d, 12h) or a date (inclusive)."""
    now = now or datetime.now(timezone.utc)
    parts: list[Query] = [parse_query(text, now=now)]
    parts += [Keyword("tag", tag.lower()) for tag in tags]
    parts += [Keyword("entity", entity.lower()) for entity in entities]
    parts += [Keyword("source", source.lower()) for source in sources]
    if since or until:
        start = _moment(since, now, upper=False) if since else None
        end = _moment(until, now, upper=True) if until else None
        parts.append(DateRange("published", start, end))
    return all_of(*parts)


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

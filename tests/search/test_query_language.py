"""The query language: what a query means, and how a bad one is reported."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tradewire.search.query import And, DateRange, Keyword, MatchAll, Not, Or, QuerySyntaxError, Text, parse_query

NOW = datetime(2025, 6, 10, 12, 0, tzinfo=timezone.utc)


def test_phrase_and_field_filter() -> None:
    assert parse_query('"rare earth" AND tag:export_licenses') == And(
        (Text("rare earth", phrase=True), Keyword("tag", "export_licenses"))
    )


def test_adjacent_words_must_all_match_and_minus_excludes() -> None:
    assert parse_query("sanctions -tariff") == And((Text("sanctions"), Not(Text("tariff"))))
    assert parse_query("a OR (b AND NOT c)") == Or((Text("a"), And((Text("b"), Not(Text("c"))))))


def test_field_aliases_lowercase_keywords_and_prefixes() -> None:
    assert parse_query('entities:"General Motors"') == Keyword("entity", "general motors")
    assert parse_query("tag:sanc*") == Keyword("tag", "sanc", prefix=True)
    assert parse_query("title:(china OR us)") == Or((Text("china", "title"), Text("us", "title")))
    assert parse_query("licen*") == Text("licen", prefix=True)


def test_words_with_inner_punctuation_are_phrases() -> None:
    assert parse_query("rare-earth") == Text("rare-earth", phrase=True)
    assert parse_query("出口管制") == Text("出口管制", phrase=True)


def test_date_ranges_are_normalised_to_inclusive_start_exclusive_end() -> None:
    day = lambda d: datetime(2025, 6, d, tzinfo=timezone.utc)  # noqa: E731
    assert parse_query("published:[2025-06-01 TO 2025-06-30]") == DateRange("published", day(1), datetime(2025, 7, 1, tzinfo=timezone.utc))
    assert parse_query("published:{2025-06-01 TO 2025-06-30}") == DateRange("published", day(2), day(30))
    assert parse_query("published:>=2025-06-08") == DateRange("published", day(8), None)
    assert parse_query("published:<2025-06-08") == DateRange("published", None, day(8))
    assert parse_query("published:2025-06-08") == DateRange("published", day(8), day(9))
    assert parse_query("published:>=now-7d", now=NOW) == DateRange("published", day(3) + (NOW - day(10)), None)


def test_empty_and_star_match_everything() -> None:
    assert parse_query("") == MatchAll()
    assert parse_query("*") == MatchAll()


@pytest.mark.parametrize(
    ("query", "message", "position"),
    [
        ("tag:(sanctions", "ends too early", 14),
        ("colour:red", "unknown field 'colour'", 0),
        ("sanctions~2", "fuzzy", 0),
        ("tag:[a TO b]", "ranges are only supported on date fields", 4),
        ("published:yesterday", "invalid date 'yesterday'", 10),
        ("AND", "unexpected", 0),
        ("sa*ns", "wildcards are only supported at the end", 0),
    ],
)
def test_errors_say_what_and_where(query: str, message: str, position: int) -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        parse_query(query)
    assert message in str(caught.value)
    assert caught.value.position == position


def test_oversized_and_deeply_nested_queries_are_refused() -> None:
    with pytest.raises(QuerySyntaxError, match="limit is 2000"):
        parse_query("a " * 1500)
    with pytest.raises(QuerySyntaxError, match="nest deeper than 32"):
        parse_query("(" * 40 + "a" + ")" * 40)
    with pytest.raises(QuerySyntaxError, match="terms; the limit is 200"):
        parse_query(" OR ".join(f"w{i}" for i in range(250)))


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300))
@example("0^.").via("found by hypothesis: luqum's Decimal of the boost escaped")
@example("a~.").via("the same for fuzziness")
@example('"a b"~.').via("and a ValueError for proximity")
def test_any_text_gives_a_query_or_a_clear_error(text: str) -> None:
    try:
        parse_query(text)
    except QuerySyntaxError as error:
        assert str(error).startswith("query error")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(['tag:', 'entity:', '"', '(', ')', 'AND', 'OR', 'NOT', '-', '+', '*', 'published:[',
                                 ' TO ', ']', '{', '}', 'now-7d', '2025-06-08', 'rare', 'earth', ' ', ':', '>=', '\\', '~']),
                max_size=25).map("".join))
def test_query_like_noise_gives_a_query_or_a_clear_error(text: str) -> None:
    try:
        parse_query(text)
    except QuerySyntaxError as error:
        assert str(error).startswith("query error")

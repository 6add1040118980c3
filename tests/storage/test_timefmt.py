"""The one time module: stored UTC text, and ISO weeks as every caller reads them."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from listener.query.filters import FilterError, QueryFilters
from reports.weeks import normal_week, week_span
from storage.timefmt import (
    format_week,
    iso,
    last_complete_week,
    month_period,
    parse_week,
    shift_week,
    utcnow,
    week_bounds,
    week_of,
)

LONDON = "Europe/London"


@pytest.mark.parametrize("typed", ["2026-W47", "2026W47", "2026w47", "2026-w47", " 2026-W47\n"])
def test_every_spelling_of_a_week_is_the_same_week(typed: str) -> None:
    assert parse_week(typed) == (2026, 47)
    assert format_week(*parse_week(typed)) == "2026-W47"


def test_a_one_digit_week_is_named_with_two() -> None:
    assert format_week(*parse_week("2026-W7")) == "2026-W07"


@pytest.mark.parametrize(("typed", "message"), [
    ("week 47", "is not an ISO week; write it like 2026-W47"),
    ("2026-47", "is not an ISO week"),
    ("26-W47", "is not an ISO week"),
    ("2026-W123", "is not an ISO week"),
    ("2026-W54", "2026 has no week 54"),
    ("2027-W53", "2027 has no week 53"),  # 2026 has 53 ISO weeks, 2027 52
])
def test_what_is_no_week_is_refused_in_plain_words(typed: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_week(typed)


def test_the_report_and_the_query_page_read_a_week_alike() -> None:
    """Both callers take the lowercase form, name it the same way, bound it
    by the same UTC text, and refuse the same input with the same words."""
    span = week_span("2026w47", ZoneInfo(LONDON))
    assert normal_week("2026w47") == span.label == "2026-W47"
    assert QueryFilters(week="2026w47").bounds(LONDON) == span.utc
    for bad in ("week 47", "2026-W54"):
        with pytest.raises(ValueError) as report_error:
            normal_week(bad)
        with pytest.raises(FilterError) as query_error:
            QueryFilters(week=bad).bounds(LONDON)
        assert str(report_error.value) == str(query_error.value)


def test_week_bounds_are_local_midnights_across_a_clock_change() -> None:
    start, end = week_bounds(2026, 44, LONDON)  # BST ends on Sunday 25 October 2026
    assert (iso(start), iso(end)) == ("2026-10-26T00:00:00+00:00", "2026-11-02T00:00:00+00:00")
    start, end = week_bounds(2026, 43, LONDON)
    assert iso(start) == "2026-10-18T23:00:00+00:00"  # Monday 00:00 BST
    assert end.astimezone(UTC) - start.astimezone(UTC) == timedelta(hours=169)  # an extra hour


def test_week_of_and_last_complete_week_count_in_local_time() -> None:
    sunday_night = datetime(2026, 6, 28, 23, 30, tzinfo=UTC)  # Monday 00:30 in London
    assert week_of(sunday_night, LONDON) == (2026, 27)
    assert week_of(sunday_night, "UTC") == (2026, 26)
    assert last_complete_week(sunday_night, LONDON) == (2026, 26)
    assert shift_week(2026, 1, -1) == (2025, 52) and shift_week(2026, 53, 1) == (2027, 1)
    assert format_week(*parse_week("2026-W53")) == "2026-W53"


def test_stored_time_text_is_utc_to_the_second() -> None:
    plus_two = timezone(timedelta(hours=2))
    assert iso(datetime(2026, 11, 16, 1, 30, 15, 999, tzinfo=plus_two)) == \
        "2026-11-15T23:30:15+00:00"
    with pytest.raises(ValueError, match="naive"):
        iso(datetime(2026, 11, 16))
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", utcnow())
    assert month_period(datetime(2026, 12, 1, 0, 30, tzinfo=plus_two)) == "2026-11"

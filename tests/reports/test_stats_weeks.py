from __future__ import annotations

import math
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from reports.stats import count_shown, share, unusual, wilson
from reports.weeks import day_spans, last_complete_week, local_week_of, week_span

LONDON = ZoneInfo("Europe/London")


def test_wilson_matches_the_formula() -> None:
    low, high = wilson(12, 20)  # type: ignore[misc]
    assert round(low, 4) == 0.3866 and round(high, 4) == 0.7812
    assert wilson(0, 10)[0] == 0.0  # type: ignore[index]
    assert wilson(0, 0) is None


def test_no_percentage_below_ten() -> None:
    assert share(9, 100) is None and share(10, 100) == 0.1
    assert share(10, 9) is None
    assert not count_shown(9) and count_shown(10)
    assert not count_shown(50, authors_ok=False) and count_shown(50, authors_ok=True)


def test_unusual_against_baseline() -> None:
    flat = [10, 12, 11, 9, 10, 13, 12, 11]  # mean 11, sd ~1.2, sqrt(mean) ~3.3
    result = unusual(30, flat)
    assert result.flagged
    assert result.threshold == pytest.approx(11 + 3 * math.sqrt(11))
    assert not unusual(20, flat).flagged
    assert not unusual(9, [0, 0, 0, 0]).flagged  # under 10 posts is never an issue
    assert not unusual(100, [1, 2, 3]).flagged  # fewer than 4 baseline periods


def test_week_across_the_october_clock_change() -> None:
    # BST ends Sun 25 Oct 2026 02:00 -> 01:00; 2026-W43 is Mon 19 Oct to Sun 25 Oct
    span = week_span("2026-W43", LONDON)
    start, end = span.utc
    assert start == "2026-10-18T23:00:00+00:00"  # Monday 00:00 BST
    assert end == "2026-10-26T00:00:00+00:00"  # Monday 00:00 GMT
    assert (span.end - span.start).total_seconds() == 7 * 86400  # local wall time
    assert (datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds() == (
        7 * 24 + 1) * 3600
    assert local_week_of("2026-10-18T23:30:00+00:00", LONDON) == "2026-W43"
    assert local_week_of("2026-10-18T22:59:59+00:00", LONDON) == "2026-W42"
    assert local_week_of("2026-10-25T23:59:59+00:00", LONDON) == "2026-W43"
    days = day_spans("2026-W43", LONDON)
    sunday = days[-1].utc
    assert sunday == ("2026-10-24T23:00:00+00:00", "2026-10-26T00:00:00+00:00")  # 25 hours


def test_week_across_the_march_clock_change() -> None:
    # BST starts Sun 29 Mar 2026 01:00 -> 02:00; 2026-W13 is Mon 23 Mar to Sun 29 Mar
    start, end = week_span("2026-W13", LONDON).utc
    assert (start, end) == ("2026-03-23T00:00:00+00:00", "2026-03-29T23:00:00+00:00")


def test_last_complete_week_uses_the_local_date() -> None:
    # Sunday 23:30 UTC in BST is already Monday locally
    now = datetime(2026, 10, 18, 23, 30, tzinfo=UTC)
    assert last_complete_week(now, LONDON) == "2026-W42"
    assert last_complete_week(now, ZoneInfo("UTC")) == "2026-W41"


@pytest.mark.parametrize("bad", ["2026-47", "2026-W54", "W47", "2026-W00"])
def test_bad_weeks_are_refused(bad: str) -> None:
    with pytest.raises(ValueError):
        week_span(bad, LONDON)

"""Working hours between a question and its answer: across a weekend, a
bank holiday and a clock change (Europe/London, 09:00-17:00, Mon-Fri)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from reports.workhours import WorkingHours

LONDON = ZoneInfo("Europe/London")
HOURS = WorkingHours()


def at(y: int, m: int, d: int, hh: int, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=LONDON)


def test_within_one_day() -> None:
    assert HOURS.between(at(2026, 11, 18, 10), at(2026, 11, 18, 13, 30)) == 3.5


def test_outside_hours_count_nothing() -> None:
    assert HOURS.between(at(2026, 11, 18, 18), at(2026, 11, 19, 8, 59)) == 0.0


def test_across_a_weekend() -> None:
    # Friday 16:00 -> Monday 10:00: one hour on Friday, one on Monday
    assert HOURS.between(at(2026, 11, 20, 16), at(2026, 11, 23, 10)) == 2.0


def test_across_a_bank_holiday() -> None:
    # Late Summer bank holiday, Monday 31 August 2026 (England)
    friday, tuesday = at(2026, 8, 28, 16, 30), at(2026, 9, 1, 9, 30)
    assert HOURS.between(friday, tuesday) == 1.0
    assert not HOURS.is_working_day(date(2026, 8, 31))
    scotland = WorkingHours(bank_holidays="scotland")  # Scotland's is on 3 August
    assert scotland.is_working_day(date(2026, 8, 31))
    assert scotland.between(friday, tuesday) == 9.0


def test_across_the_autumn_clock_change() -> None:
    # clocks go back at 02:00 on Sunday 25 October 2026: 66 hours pass on the
    # wall clock from Friday 16:00 BST to Monday 10:00 GMT, 67 in real time;
    # working hours are wall-clock hours: two
    friday, monday = at(2026, 10, 23, 16), at(2026, 10, 26, 10)
    assert (monday - friday).total_seconds() / 3600 == 66.0
    assert monday.timestamp() - friday.timestamp() == 67 * 3600
    assert HOURS.between(friday, monday) == 2.0
    # and a whole working day either side of the change is eight hours
    assert HOURS.between(at(2026, 10, 23, 0), at(2026, 10, 27, 0)) == 16.0


def test_across_the_spring_clock_change() -> None:
    # 29 March 2026: Friday 27th 12:00 GMT -> Monday 30th 12:00 BST
    assert HOURS.between(at(2026, 3, 27, 12), at(2026, 3, 30, 12)) == 8.0


def test_closed_days_and_a_day_length() -> None:
    hours = WorkingHours(closed_days=[date(2026, 12, 29)], start="08:30", end="16:00")
    assert hours.day_hours == 7.5
    assert hours.between(at(2026, 12, 28, 12), at(2026, 12, 30, 9)) == 0.5  # 28th: Boxing Day obs.


def test_bad_settings_are_refused() -> None:
    with pytest.raises(ValidationError, match="before end"):
        WorkingHours(start="17:00", end="09:00")
    with pytest.raises(ValidationError, match="time zone"):
        WorkingHours(timezone="Europe/Lundon")

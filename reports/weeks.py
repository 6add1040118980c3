"""ISO weeks in the report's time zone, and their bounds in UTC.

Storage holds UTC text; a report week runs Monday 00:00 to the next Monday
00:00 *local* time, so a week that crosses a clock change is 167 or 169
hours long. Every bound handed to storage is UTC ISO text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")


def utc_text(moment: datetime) -> str:
    """The same ISO text storage writes (seconds, +00:00)."""
    return moment.astimezone(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Span:
    """A half-open local interval [start, end) with its UTC text bounds."""

    label: str
    start: datetime  # local, aware
    end: datetime  # local, aware

    @property
    def utc(self) -> tuple[str, str]:
        return utc_text(self.start), utc_text(self.end)


def parse_week(week: str) -> tuple[int, int]:
    match = _WEEK.match(week)
    if match is None:
        raise ValueError(f"week {week!r} is not an ISO week like 2026-W47")
    year, number = int(match[1]), int(match[2])
    try:
        date.fromisocalendar(year, number, 1)
    except ValueError as exc:
        raise ValueError(f"week {week!r} does not exist: {exc}") from None
    return year, number


def week_name(day: date) -> str:
    year, number, _ = day.isocalendar()
    return f"{year}-W{number:02d}"


def _local_midnight(day: date, tz: ZoneInfo) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=tz)


def week_span(week: str, tz: ZoneInfo) -> Span:
    year, number = parse_week(week)
    monday = date.fromisocalendar(year, number, 1)
    return Span(week, _local_midnight(monday, tz), _local_midnight(monday + timedelta(7), tz))


def shift_week(week: str, weeks: int) -> str:
    year, number = parse_week(week)
    return week_name(date.fromisocalendar(year, number, 1) + timedelta(weeks=weeks))


def previous_weeks(week: str, count: int, tz: ZoneInfo) -> list[Span]:
    """The ``count`` weeks before ``week``, oldest first."""
    return [week_span(shift_week(week, -k), tz) for k in range(count, 0, -1)]


def day_spans(week: str, tz: ZoneInfo) -> list[Span]:
    """The seven local days of ``week`` (each 23, 24 or 25 hours long)."""
    year, number = parse_week(week)
    monday = date.fromisocalendar(year, number, 1)
    days = [monday + timedelta(k) for k in range(8)]
    return [
        Span(days[k].strftime("%a %d %b"), _local_midnight(days[k], tz),
             _local_midnight(days[k + 1], tz))
        for k in range(7)
    ]


def day_span(day: date, tz: ZoneInfo) -> Span:
    return Span(day.isoformat(), _local_midnight(day, tz),
                _local_midnight(day + timedelta(1), tz))


def last_complete_week(now: datetime, tz: ZoneInfo) -> str:
    """The latest ISO week that has ended by ``now`` in ``tz``."""
    return shift_week(week_name(now.astimezone(tz).date()), -1)


def local_week_of(utc_iso: str, tz: ZoneInfo) -> str:
    return week_name(datetime.fromisoformat(utc_iso).astimezone(tz).date())

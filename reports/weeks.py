"""Report weeks and days in the report's time zone, with their UTC bounds.

Week names are parsed and written by ``storage.timefmt`` (the one ISO-week
module), which also says how a local week maps to UTC: a report week runs
Monday 00:00 to the next Monday 00:00 *local* time, so a week that crosses
a clock change is 167 or 169 hours long. Every bound handed to storage is
the UTC text storage writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from storage.timefmt import (
    format_week,
    iso,
    local_midnight,
    parse_week,
    shift_week,
    week_bounds,
    week_of,
)
from storage.timefmt import last_complete_week as _last_complete


@dataclass(frozen=True)
class Span:
    """A half-open local interval [start, end) with its UTC text bounds."""

    label: str
    start: datetime  # local, aware
    end: datetime  # local, aware

    @property
    def utc(self) -> tuple[str, str]:
        return iso(self.start), iso(self.end)


def normal_week(week: str) -> str:
    """``week`` as the report names it (``2026w47`` -> ``2026-W47``); ValueError
    in plain words when it is no ISO week."""
    return format_week(*parse_week(week))


def week_span(week: str, tz: ZoneInfo) -> Span:
    year, number = parse_week(week)
    return Span(format_week(year, number), *week_bounds(year, number, tz))


def previous_weeks(week: str, count: int, tz: ZoneInfo) -> list[Span]:
    """The ``count`` weeks before ``week``, oldest first."""
    year, number = parse_week(week)
    return [week_span(format_week(*shift_week(year, number, -k)), tz)
            for k in range(count, 0, -1)]


def day_spans(week: str, tz: ZoneInfo) -> list[Span]:
    """The seven local days of ``week`` (each 23, 24 or 25 hours long)."""
    year, number = parse_week(week)
    monday = date.fromisocalendar(year, number, 1)
    days = [monday + timedelta(k) for k in range(8)]
    return [
        Span(days[k].strftime("%a %d %b"), local_midnight(days[k], tz),
             local_midnight(days[k + 1], tz))
        for k in range(7)
    ]


def day_span(day: date, tz: ZoneInfo) -> Span:
    return Span(day.isoformat(), local_midnight(day, tz), local_midnight(day + timedelta(1), tz))


def last_complete_week(now: datetime, tz: ZoneInfo) -> str:
    """The latest ISO week that has ended by ``now`` in ``tz``."""
    return format_week(*_last_complete(now, tz))


def local_week_of(utc_iso: str, tz: ZoneInfo) -> str:
    return format_week(*week_of(datetime.fromisoformat(utc_iso), tz))

"""ISO weeks in the reporting time zone, as UTC bounds for queries."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

_WEEK = re.compile(r"^(\d{4})-?W(\d{1,2})$", re.IGNORECASE)

Week = tuple[str, str, str]  # label, start (UTC ISO, inclusive), end (UTC ISO, exclusive)


def utc_iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def parse_week(text: str) -> tuple[int, int]:
    """``2026-W47`` (or ``2026W47``) as (year, week); ValueError in plain words."""
    found = _WEEK.match(text.strip())
    if found is None:
        raise ValueError(f"'{text}' is not an ISO week; write it like 2026-W47")
    year, week = int(found.group(1)), int(found.group(2))
    try:
        date.fromisocalendar(year, week, 1)
    except ValueError:
        raise ValueError(f"{year} has no week {week}") from None
    return year, week


def day_start(day: date, zone: str) -> datetime:
    """Midnight at the start of ``day`` in ``zone`` (aware)."""
    return datetime.combine(day, time(0), tzinfo=ZoneInfo(zone))


def week_bounds(year: int, week: int, zone: str) -> Week:
    monday = date.fromisocalendar(year, week, 1)
    start = day_start(monday, zone)
    end = day_start(monday + timedelta(days=7), zone)
    return f"{year}-W{week:02d}", utc_iso(start), utc_iso(end)


def week_of(moment: datetime, zone: str) -> tuple[int, int]:
    iso = moment.astimezone(ZoneInfo(zone)).isocalendar()
    return iso.year, iso.week


def weeks_ending(year: int, week: int, count: int, zone: str) -> list[Week]:
    """``count`` consecutive weeks, oldest first, the last being ``year-Wweek``."""
    monday = date.fromisocalendar(year, week, 1)
    out: list[Week] = []
    for back in range(count - 1, -1, -1):
        iso = (monday - timedelta(weeks=back)).isocalendar()
        out.append(week_bounds(iso.year, iso.week, zone))
    return out


def weeks_between(first: date, last: date, zone: str, cap: int = 104) -> list[Week]:
    """The weeks that hold any day from ``first`` to ``last`` (at most ``cap``)."""
    end = last.isocalendar()
    span = ((last - first).days + first.weekday()) // 7 + 1
    return weeks_ending(end.year, end.week, max(1, min(span, cap)), zone)


def last_complete_week(now: datetime, zone: str) -> tuple[int, int]:
    local = now.astimezone(ZoneInfo(zone)).date()
    iso = (local - timedelta(days=local.weekday() + 7)).isocalendar()
    return iso.year, iso.week

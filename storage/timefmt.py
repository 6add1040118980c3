"""Time as storage writes it, and the ISO weeks every caller counts in.

Every timestamp column holds UTC ISO 8601 text to the second with an
explicit offset (``2026-11-16T00:00:00+00:00``). Bounds handed to SQL are
compared as text, so they must be written by the same formatter: ``iso``.

ISO weeks are written ``2026-W47``. ``parse_week`` also accepts the
lowercase and dash-less forms people type (``2026w47``, ``2026-w47``,
``2026W47``) and a one-digit week (``2026-W7``); whatever was typed, the
week is named again by ``format_week``. A week in a time zone runs from
Monday 00:00 local time to the next Monday 00:00, so a week that crosses a
clock change is 167 or 169 hours long.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

_WEEK = re.compile(r"^(\d{4})-?W(\d{1,2})$", re.IGNORECASE)

# The dates and weeks a person may ask about. Wide enough for any post, and
# far enough from the ends of Python's calendar (years 1 and 9999) that a
# week's end, a day after, or a trend of 104 weeks before stays inside it.
FIRST_DAY = date(1970, 1, 1)
LAST_DAY = date(9998, 12, 31)

Zone = str | tzinfo  # an IANA name ("Europe/London") or a tzinfo


def utcnow() -> str:
    """Now, as the text every timestamp column holds."""
    return iso(datetime.now(UTC))


def iso(moment: datetime) -> str:
    """``moment`` as the stored UTC text; a naive datetime is refused."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime: every stored time must be timezone-aware")
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def month_period(moment: datetime | None = None) -> str:
    """The calendar month in UTC holding ``moment`` (default now): ``YYYY-MM``."""
    return (moment or datetime.now(UTC)).astimezone(UTC).strftime("%Y-%m")


def zone_of(zone: Zone) -> tzinfo:
    return ZoneInfo(zone) if isinstance(zone, str) else zone


def parse_week(text: str) -> tuple[int, int]:
    """(year, week) of an ISO week; ValueError in plain words."""
    found = _WEEK.match(text.strip())
    if found is None:
        raise ValueError(f"{text!r} is not an ISO week; write it like 2026-W47")
    year, week = int(found.group(1)), int(found.group(2))
    try:
        monday = date.fromisocalendar(year, week, 1)
    except ValueError:
        raise ValueError(f"{text!r}: {year} has no week {week}") from None
    if not FIRST_DAY <= monday <= LAST_DAY:
        raise ValueError(f"{text!r} is outside the weeks this service handles "
                         f"({format_week(*FIRST_DAY.isocalendar()[:2])} to "
                         f"{format_week(*LAST_DAY.isocalendar()[:2])})")
    return year, week


def check_day(day: date) -> date:
    """``day`` when it is inside the dates this service handles; else a
    ValueError in plain words (9999-12-31 would overflow the day after)."""
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValueError(f"{day.isoformat()} is outside the dates this service handles "
                         f"({FIRST_DAY.isoformat()} to {LAST_DAY.isoformat()})")
    return day


def format_week(year: int, week: int) -> str:
    return f"{year}-W{week:02d}"


def week_of(moment: datetime, zone: Zone) -> tuple[int, int]:
    """The ISO week holding ``moment`` in ``zone``."""
    found = moment.astimezone(zone_of(zone)).isocalendar()
    return found.year, found.week


def shift_week(year: int, week: int, weeks: int) -> tuple[int, int]:
    """The week ``weeks`` after (negative: before) ``year``-W``week``."""
    found = (date.fromisocalendar(year, week, 1) + timedelta(weeks=weeks)).isocalendar()
    return found.year, found.week


def local_midnight(day: date, zone: Zone) -> datetime:
    """00:00 at the start of ``day`` in ``zone`` (aware)."""
    return datetime(day.year, day.month, day.day, tzinfo=zone_of(zone))


def week_bounds(year: int, week: int, zone: Zone) -> tuple[datetime, datetime]:
    """Local Monday 00:00 of the week and of the week after (aware)."""
    monday = date.fromisocalendar(year, week, 1)
    return local_midnight(monday, zone), local_midnight(monday + timedelta(days=7), zone)


def last_complete_week(now: datetime, zone: Zone) -> tuple[int, int]:
    """The latest ISO week that has ended by ``now`` in ``zone``."""
    return shift_week(*week_of(now, zone), -1)

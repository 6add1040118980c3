"""Weeks for the query page and CLI: (label, start, end) with UTC text
bounds, built on ``storage.timefmt`` (the one ISO-week parser)."""

from __future__ import annotations

from datetime import date, timedelta

from storage.timefmt import format_week, iso, local_midnight, week_bounds

Week = tuple[str, str, str]  # label, start (UTC ISO, inclusive), end (UTC ISO, exclusive)


def week(year: int, number: int, zone: str) -> Week:
    start, end = week_bounds(year, number, zone)
    return format_week(year, number), iso(start), iso(end)


def weeks_ending(year: int, number: int, count: int, zone: str) -> list[Week]:
    """``count`` consecutive weeks, oldest first, the last being ``year-Wnumber``."""
    monday = date.fromisocalendar(year, number, 1)
    out: list[Week] = []
    for back in range(count - 1, -1, -1):
        found = (monday - timedelta(weeks=back)).isocalendar()
        out.append(week(found.year, found.week, zone))
    return out


def weeks_between(first: date, last: date, zone: str, cap: int = 104) -> list[Week]:
    """The weeks that hold any day from ``first`` to ``last`` (at most ``cap``)."""
    end = last.isocalendar()
    span = ((last - first).days + first.weekday()) // 7 + 1
    return weeks_ending(end.year, end.week, max(1, min(span, cap)), zone)


def clipped(weeks: list[Week], first: date | None, last: date | None,
            zone: str) -> tuple[list[Week], dict[str, str]]:
    """``weeks`` with the first starting no earlier than ``first`` and the last
    ending no later than the day after ``last`` (a date range's own bounds),
    so that the weekly counts add up to the posts in the range; and, for each
    week cut short, the part it holds ("from 3 Nov", "to 30 Nov")."""
    out, parts = list(weeks), {}
    if out and first is not None:
        start = iso(local_midnight(first, zone))
        label, begins, ends = out[0]
        if start > begins:
            out[0], parts[label] = (label, start, ends), f"from {first:%-d %b}"
    if out and last is not None:
        end = iso(local_midnight(last + timedelta(days=1), zone))
        label, begins, ends = out[-1]
        if end < ends:
            out[-1] = (label, begins, end)
            parts[label] = (parts[label] + f" to {last:%-d %b}" if label in parts
                            else f"to {last:%-d %b}")
    return out, parts

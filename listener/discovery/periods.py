"""The periods discovery runs over, with the baseline periods their bursting
terms are tested against: a report week; the seven days to a day (the daily
alert check); a span of days from a date (``listener discover --since``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from reports.weeks import Span, previous_weeks, week_span
from storage.discovery_records import DAY, WEEK
from storage.timefmt import format_week, iso, local_midnight, week_of

SPAN = "span"  # a run kind besides storage's week and day


@dataclass(frozen=True)
class Period:
    kind: str  # week, day or span
    span: Span  # local bounds; span.label names the period
    baseline: tuple[Span, ...]  # oldest first
    weekly_baseline: bool  # the baseline periods are report weeks (their counts are kept)
    previous_end: str | None  # UTC end of the period just before, of the same kind
    complete: bool  # ended by now

    @property
    def label(self) -> str:
        return self.span.label

    @property
    def bounds(self) -> tuple[str, str]:
        return self.span.utc


def week_period(week: str, tz: ZoneInfo, baseline_weeks: int, now: datetime) -> Period:
    span = week_span(week, tz)
    return Period(WEEK, span, tuple(previous_weeks(week, baseline_weeks, tz)), True,
                  iso(span.start), span.end <= now)


def day_period(day: date, tz: ZoneInfo, baseline_weeks: int, now: datetime) -> Period:
    """The seven local days to ``day``, tested against the report weeks that
    ended before they began."""
    start = day - timedelta(days=6)
    span = Span(day.isoformat(), local_midnight(start, tz), local_midnight(day + timedelta(1), tz))
    week = format_week(*week_of(span.start, tz))
    return Period(DAY, span, tuple(previous_weeks(week, baseline_weeks, tz)), True,
                  iso(local_midnight(day, tz)), span.end <= now)


def span_period(since: date, tz: ZoneInfo, baseline_weeks: int, now: datetime) -> Period:
    """From ``since`` to the end of yesterday, tested against the periods of
    the same length before it."""
    today = now.astimezone(tz).date()
    if since >= today:
        raise ValueError(f"--since {since.isoformat()} must be a day before today "
                         f"({today.isoformat()})")
    days = (today - since).days
    span = Span(f"{since.isoformat()} to {(today - timedelta(1)).isoformat()}",
                local_midnight(since, tz), local_midnight(today, tz))
    baseline = []
    for k in range(baseline_weeks, 0, -1):
        first = since - timedelta(days=days * k)
        baseline.append(Span(first.isoformat(), local_midnight(first, tz),
                             local_midnight(first + timedelta(days), tz)))
    return Period(SPAN, span, tuple(baseline), False, None, True)

"""The body's working hours: how many working hours lie between two moments.

Working hours are local wall-clock times (``start`` to ``end`` on the
working ``days``) in the body's time zone, so a clock change moves them with
the clocks: 09:00-17:00 is eight working hours on the Monday after the
change as before it. UK bank holidays come from the ``holidays`` package
(its data ships in the wheel: nothing is fetched), for the configured part
of the UK; ``closed_days`` adds the body's own (e.g. the days between
Christmas and New Year).

A "working day" in the response measures is the length of one working day
in working hours (eight for 09:00-17:00): answered within 1 working day
means within that many working hours of the question.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import cached_property
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Day = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
DAYS: tuple[Day, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# the parts of the UK as the holidays package names them
NATIONS = {"england": "ENG", "wales": "WLS", "scotland": "SCT", "northern_ireland": "NIR"}


def _clock(value: str) -> time:
    try:
        hour, minute = value.split(":")
        return time(int(hour), int(minute))
    except ValueError:
        raise ValueError(f"write a time as HH:MM, e.g. 09:00 (got {value!r})") from None


class WorkingHours(BaseModel):
    """``engagement.working_hours`` in config.yaml."""

    model_config = ConfigDict(extra="forbid")

    timezone: str = Field(default="Europe/London", description="Zone of start and end")
    days: list[Day] = Field(default_factory=lambda: list(DAYS[:5]))
    start: str = Field(default="09:00", description="Local time the working day starts")
    end: str = Field(default="17:00", description="Local time it ends")
    bank_holidays: Literal["england", "wales", "scotland", "northern_ireland", "none"] = Field(
        default="england", description="Whose UK bank holidays are closed days")
    closed_days: list[date] = Field(default_factory=list,
                                    description="More closed days, e.g. 2026-12-29")

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r} (e.g. Europe/London)") from None
        return value

    @model_validator(mode="after")
    def _order(self) -> WorkingHours:
        if _clock(self.start) >= _clock(self.end):
            raise ValueError(f"start {self.start} must be before end {self.end}")
        if not self.days:
            raise ValueError("at least one working day is needed")
        return self

    @cached_property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def day_hours(self) -> float:
        """One working day, in hours (eight for 09:00-17:00)."""
        opening, closing = _clock(self.start), _clock(self.end)
        return (closing.hour * 60 + closing.minute - opening.hour * 60 - opening.minute) / 60

    @cached_property
    def _holidays(self) -> set[date]:
        closed = set(self.closed_days)
        if self.bank_holidays != "none":
            import holidays

            uk = holidays.country_holidays("GB", subdiv=NATIONS[self.bank_holidays],
                                           years=range(2000, 2101))
            closed.update(uk.keys())
        return closed

    def is_working_day(self, day: date) -> bool:
        return DAYS[day.weekday()] in self.days and day not in self._holidays

    def between(self, start: datetime, end: datetime) -> float:
        """Working hours from ``start`` to ``end`` (aware datetimes); 0 when
        ``end`` is not after ``start``."""
        if end <= start:
            return 0.0
        opening, closing = _clock(self.start), _clock(self.end)
        first = start.astimezone(self.zone).date()
        last = end.astimezone(self.zone).date()
        seconds = 0.0
        day = first
        while day <= last:
            if self.is_working_day(day):
                window_start = datetime.combine(day, opening, self.zone).astimezone(UTC)
                window_end = datetime.combine(day, closing, self.zone).astimezone(UTC)
                overlap = min(end, window_end) - max(start, window_start)
                seconds += max(overlap.total_seconds(), 0.0)
            day += timedelta(days=1)
        return seconds / 3600

"""The ``service:`` section of config.yaml: when ``listener run`` does what."""

from __future__ import annotations

import re
from typing import Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, field_validator

from reports.config import known_zone

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
_HHMM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


class ServiceSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    weekly_report: bool = Field(default=True, description="Write the weekly report on schedule")
    report_day: Weekday = Field(default="mon", description="Day the weekly report is written")
    report_time: str = Field(default="07:00", description="Local time (HH:MM) of the report")
    timezone: str | None = Field(
        default=None,
        description="Zone of report_time and housekeeping_time; default: reports.timezone",
    )
    housekeeping_time: str = Field(
        default="03:15", description="Local time (HH:MM) of the daily retention purge"
    )
    alerts_time: str = Field(
        default="08:00",
        description="Local time (HH:MM) of the daily emerging-issue alert check (runs only "
        "when reports.alerts has a channel)",
    )
    delivery_retry_minutes: float = Field(
        default=15.0, gt=0, le=24 * 60,
        description="How often a delivery that failed (report e-mail, alert) is tried again")
    reload_check_seconds: float = Field(
        default=5.0, gt=0, description="How often config.yaml is checked for edits"
    )
    heartbeat_seconds: float = Field(
        default=30.0, gt=0, description="How often the service records that it is alive"
    )
    stop_timeout_seconds: float = Field(
        default=60.0, gt=0, description="Longest wait for running jobs on SIGTERM/SIGINT"
    )
    max_parallel_jobs: int = Field(
        default=4, ge=1, description="Jobs (sources, report, housekeeping) run at once"
    )

    @field_validator("report_time", "housekeeping_time", "alerts_time")
    @classmethod
    def _hhmm(cls, value: str) -> str:
        if not _HHMM.match(value):
            raise ValueError("must be a 24-hour time written HH:MM, e.g. 07:00")
        return value

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str | None) -> str | None:
        return known_zone(value) if value is not None else None

    def zone(self, fallback: str) -> ZoneInfo:
        return ZoneInfo(self.timezone or fallback)


def hour_minute(hhmm: str) -> tuple[int, int]:
    hour, minute = hhmm.split(":")
    return int(hour), int(minute)

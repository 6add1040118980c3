"""The reports package's own config section."""

from __future__ import annotations

import difflib
from functools import lru_cache
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from pydantic import BaseModel, ConfigDict, Field, field_validator

FORMATS = ("html", "pdf", "md", "csv", "json")


@lru_cache(maxsize=1)
def _zones() -> tuple[str, ...]:
    return tuple(sorted(available_timezones()))


def known_zone(value: str) -> str:
    """``value`` when it is an IANA time zone tzdata knows; else a ValueError
    naming the closest one (``Europe/Londn`` -> did you mean ``Europe/London``)."""
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        close = difflib.get_close_matches(value, _zones(), n=1, cutoff=0.6)
        hint = f"; did you mean {close[0]!r}?" if close else ", e.g. 'Europe/London'"
        raise ValueError(f"unknown time zone {value!r}{hint}") from None
    return value


class EmailSettings(BaseModel):
    """Delivery through an SMTP relay. Credentials come from the environment
    variables *named* here, never from the config file."""

    model_config = ConfigDict(extra="forbid")

    smtp_host: str = "localhost"
    smtp_port: int = Field(default=587, ge=1, le=65535)
    starttls: bool = True
    sender: str = Field(default="", description="From address")
    to: list[str] = Field(default_factory=list, description="Recipients of the weekly report")
    username_env: str = Field(default="SMTP_USERNAME", description="Env var with the SMTP user")
    password_env: str = Field(default="SMTP_PASSWORD", description="Env var with the password")
    timeout_seconds: float = Field(default=30.0, gt=0)


class AlertSettings(BaseModel):
    """The daily emerging-issue check."""

    model_config = ConfigDict(extra="forbid")

    email: bool = Field(default=False, description="Send alerts to reports.email.to")
    webhook_url_env: str = Field(
        default="", description="Env var holding a Teams (Workflows) or Slack webhook URL"
    )
    webhook_format: Literal["auto", "teams", "slack"] = Field(
        default="auto",
        description="teams: an Adaptive Card (Teams Workflows webhooks take nothing else); "
        "slack: {text}; auto: slack for hooks.slack.com, else teams")
    baseline_days: int = Field(default=56, ge=7, description="Trailing days compared against")
    theme_posts: int | None = Field(
        default=None, ge=10, description="Alert on a theme not seen before with at least this"
        " many posts in the 7 days to yesterday (unset: no theme alerts)")
    term_posts: int | None = Field(
        default=None, ge=10, description="Alert on a bursting term used by at least this many"
        " posts in the 7 days to yesterday (unset: no term alerts)")


class ReportSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    out_dir: str = "reports-out"
    timezone: str = "Europe/London"
    formats: list[str] = Field(default_factory=lambda: ["html"])
    title: str = "Weekly engagement report"
    organisation: str = "Example Council"
    top_topics: int = Field(default=6, ge=1, description="Topics with trend lines and posts")
    trend_weeks: int = Field(default=12, ge=2)
    baseline_weeks: int = Field(default=8, ge=4, description="Emerging-issue baseline")
    emerging_max: int = Field(default=8, ge=1)
    posts_per_topic: int = Field(default=3, ge=1, le=10)
    themes_shown: int = Field(default=6, ge=1, description="Most new themes in the report")
    terms_shown: int = Field(default=8, ge=1, description="Most bursting terms in the report")
    stale_after_hours: float = Field(default=36.0, gt=0)
    email: EmailSettings = Field(default_factory=EmailSettings)
    alerts: AlertSettings = Field(default_factory=AlertSettings)

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        return known_zone(value)

    @field_validator("formats")
    @classmethod
    def _known_formats(cls, value: list[str]) -> list[str]:
        unknown = [f for f in value if f not in FORMATS]
        if unknown:
            raise ValueError(f"unknown report format(s) {unknown}; known: {list(FORMATS)}")
        return value

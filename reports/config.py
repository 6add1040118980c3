"""The reports package's own config section."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class ReportSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    out_dir: str = "reports-out"
    timezone: str = "Europe/London"
    formats: list[str] = Field(default_factory=lambda: ["html"])
    title: str = "Weekly engagement report"
    organisation: str = "Example Council"

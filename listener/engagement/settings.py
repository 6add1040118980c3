"""The ``engagement`` section of config.yaml: the body's own channels (one
per platform, each account one of ``privacy.official_accounts``), its
working hours and bank holidays, and when a question counts as waiting."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from listener.platforms.config import validate_channels
from listener.sources.config import SourceConfigBase
from reports.workhours import WorkingHours

OWN_PREFIX = "own:"  # an own channel collects as the source "own:<platform>"

Channels = Annotated[dict[str, SourceConfigBase], BeforeValidator(validate_channels)]


class EngagementSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    channels: Channels = Field(
        default_factory=dict,
        description="The body's own accounts, per platform: its posts, replies and mentions")
    working_hours: WorkingHours = Field(default_factory=WorkingHours)
    unanswered_after_hours: float = Field(
        default=8.0, gt=0,
        description="Working hours after which an unanswered question or complaint is listed"
                    " as waiting for an answer")
    unanswered_days: int = Field(
        default=28, ge=1, description="How far back open questions are listed")

    def sources(self) -> dict[str, Any]:
        """Every configured channel as the source it collects as (``own:<id>``)."""
        return {f"{OWN_PREFIX}{platform}": cfg for platform, cfg in self.channels.items()}

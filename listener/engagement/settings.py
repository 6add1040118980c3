"""The ``engagement`` section of config.yaml: the body's own channels (one
per platform, each account one of ``privacy.official_accounts``), its
working hours and bank holidays, and when a question counts as waiting.

``channels`` is a model with one optional key per platform that has an own
channel (``Platform.own_channel`` in the registry), so an unknown platform
or key is reported with its place and a "did you mean"."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, create_model

from listener.platforms.registry import platforms
from listener.sources.config import OwnChannelConfigBase
from reports.workhours import WorkingHours

OWN_PREFIX = "own:"  # an own channel collects as the source "own:<platform>"


def _channels_model() -> type[BaseModel]:
    fields: dict[str, Any] = {p.id: (p.own_channel.config | None, None)
                              for p in platforms() if p.own_channel is not None}
    return create_model("Channels", __config__=ConfigDict(extra="forbid"), **fields)


Channels: Any = _channels_model()


class EngagementSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    channels: Channels = Field(
        default_factory=Channels,
        description="The body's own accounts, per platform: its posts, replies and mentions")
    working_hours: WorkingHours = Field(default_factory=WorkingHours)
    unanswered_after_hours: float = Field(
        default=8.0, gt=0,
        description="Working hours after which an unanswered question or complaint is listed"
                    " as waiting for an answer")
    unanswered_days: int = Field(
        default=28, ge=1, description="How far back open questions are listed")

    def configured(self) -> dict[str, OwnChannelConfigBase]:
        """Platform id -> the channel's config, for each channel written."""
        return {name: cfg for name, cfg in self.channels if cfg is not None}

    def sources(self) -> dict[str, Any]:
        """Every configured channel as the source it collects as (``own:<id>``)."""
        return {f"{OWN_PREFIX}{platform}": cfg for platform, cfg in self.configured().items()}

"""Governance fields a public body must fill in before collecting live data.

With any live source enabled (a type whose registry entry is ``live``: all
but ``sample`` and ``file``) and one of these blank, ``listener run`` refuses
to start.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from listener.platforms.registry import is_live


class GovernanceSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    purpose: str = Field(default="", description="Why posts are collected, in plain words")
    lawful_basis: str = Field(default="", description="UK GDPR Article 6 basis, e.g. public task")
    dpia_reference: str = Field(default="", description="Reference of the completed DPIA")
    privacy_notice_url: str = Field(default="", description="Where the public can read about it")
    data_controller: str = Field(default="", description="The organisation that decides")
    recipients: list[str] = Field(
        default_factory=list, description="Teams who receive reports or exports"
    )

    def blank_fields(self) -> list[str]:
        required = ("purpose", "lawful_basis", "dpia_reference", "privacy_notice_url",
                    "data_controller")
        return [name for name in required if not str(getattr(self, name)).strip()]


def governance_gaps(governance: GovernanceSettings, sources: dict[str, Any]) -> list[str]:
    """Plain-language reasons ``listener run`` must refuse to start; empty when
    every governance field is filled or no live source is enabled. ``sources``:
    the configured sources and own channels (``Settings.all_sources``)."""
    live = sorted(name for name, cfg in sources.items()
                  if cfg.enabled and is_live(cfg.type))
    if not live:
        return []
    return [
        f"governance.{name} is blank, and live sources are enabled ({', '.join(live)})"
        for name in governance.blank_fields()
    ]

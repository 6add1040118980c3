"""What every source's config model shares.

Each platform owns the model of its own ``type:`` (``listener.platforms.<id>
.config``), a subclass of ``SourceConfigBase`` whose ``type`` is the literal
platform id. Every source names the environment variables its credentials
come from (never the values). ``credential_env()`` lists them so that config
validation can say which one is unset and ``listener sources`` can show
set/missing without ever printing a value.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field


class SourceConfigBase(BaseModel):
    model_config = ConfigDict(extra="forbid")

    type: str
    enabled: bool = False
    interval_minutes: float = Field(
        default=30, gt=0, description="How often the service collects (fractions allowed)"
    )
    timeout_seconds: float = Field(default=30.0, gt=0, description="Every HTTP call's timeout")
    max_attempts: int = Field(default=5, ge=1, description="Tries per request before the run fails")
    max_wait_seconds: float = Field(default=900.0, ge=0, description="Longest single backoff wait")

    def credential_env(self) -> dict[str, str]:
        """Credential role -> name of the environment variable holding it."""
        return {}

    def resolve_paths(self, resolve: Callable[[str], Path]) -> None:
        """Make the file paths it names relative to the config file."""


class OwnChannelConfigBase(SourceConfigBase):
    """What every own-channel config shares (``engagement.channels.<platform>``):
    the body's account on that platform, which must be one of
    ``privacy.official_accounts``, and how long its posts are re-read for
    new replies. ``type`` is the platform id (the channel's key)."""

    account: str = Field(min_length=1, description="The body's account (handle) there")
    replies_window_days: int = Field(
        default=14, ge=0, description="Own posts this recent are re-read for new replies")
    interval_minutes: float = Field(default=60, gt=0,
                                    description="How often the service collects it")

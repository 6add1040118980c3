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

"""The ``privacy`` section of config.yaml."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class PrivacySettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    key_env: str = Field(
        default="CIVIC_LISTENER_PSEUDONYM_KEY",
        description="Environment variable holding the pseudonymisation key",
    )
    key_file: str = Field(
        default="data/pseudonym.key",
        description="Generated key file (0600), used when the variable is unset",
    )
    official_accounts: list[str] = Field(
        default_factory=list,
        description="platform:handle of official accounts whose handles may be shown",
    )
    retention_days: int = Field(default=400, ge=1)
    raw_retention_days: int = Field(default=30, ge=1)
    min_group_size: int = Field(default=10, ge=1, description="Smallest count shown as a number")

    def official_set(self) -> frozenset[tuple[str, str]]:
        pairs = set()
        for entry in self.official_accounts:
            platform, _, handle = entry.partition(":")
            pairs.add((platform.strip().lower(), handle.strip().lstrip("@").lower()))
        return frozenset(pairs)

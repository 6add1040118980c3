"""The ``privacy`` section of config.yaml."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

from listener.platforms.registry import platforms
from reports.stats import MIN_COUNT


class DeletionSyncSettings(BaseModel):
    """How stored posts are re-checked against their platform (see
    ``listener.privacy.deletion_sync`` for the policy)."""

    model_config = ConfigDict(extra="forbid")

    enabled: bool = Field(default=True,
                          description="Re-check daily, in the service's housekeeping job")
    first_check_days: int = Field(default=7, ge=1, le=7,
                                  description="Every post is first re-checked within this")
    recheck_days: int = Field(default=30, ge=1, description="Later re-checks, this far apart")
    max_posts_per_run: int = Field(default=5000, ge=1,
                                   description="Posts re-checked per platform per run")
    skip_platforms: list[str] = Field(
        default_factory=list, description="Platforms not re-checked (e.g. x: reads cost)")
    bluesky_appview: str = Field(default="https://public.api.bsky.app",
                                 description="Public Bluesky AppView for getPosts (no login)")

    @field_validator("skip_platforms")
    @classmethod
    def _checkable(cls, names: list[str]) -> list[str]:
        checked = [p.id for p in platforms() if p.checker is not None]
        unknown = [n for n in names if n not in checked]
        if unknown:
            raise ValueError(f"{', '.join(map(repr, unknown))} not re-checked anyway; the "
                             f"platforms re-checked are {', '.join(checked)}")
        return names


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
    previous_key_env: str = Field(
        default="",
        description="After a key rotation: variable holding the previous key, so that "
                    "`listener forget` also finds posts stored under it",
    )
    official_accounts: list[str] = Field(
        default_factory=list,
        description="platform:handle of official accounts whose handles may be shown",
    )
    retention_days: int = Field(default=400, ge=1)
    raw_retention_days: int = Field(default=30, ge=1)
    min_group_size: int = Field(
        default=MIN_COUNT,
        description="Smallest count that `listener query`, `trends` and the web page show as "
                    "a number or share; at least the weekly report's floor of 10 (a larger "
                    "value applies to those three; the report keeps its 10)")
    deletion_sync: DeletionSyncSettings = Field(default_factory=DeletionSyncSettings)

    @field_validator("min_group_size")
    @classmethod
    def _at_least_the_report_floor(cls, value: int) -> int:
        if value < MIN_COUNT:
            raise ValueError(
                f"must be at least {MIN_COUNT}, the weekly report's floor: a smaller group "
                "would be shown by the query page and CLI as a figure the report suppresses "
                f"(got {value})")
        return value

    def official_set(self) -> frozenset[tuple[str, str]]:
        pairs = set()
        for entry in self.official_accounts:
            platform, _, handle = entry.partition(":")
            pairs.add((platform.strip().lower(), handle.strip().lstrip("@").lower()))
        return frozenset(pairs)

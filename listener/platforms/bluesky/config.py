"""The config model of ``type: bluesky`` sources: Bluesky (searchPosts)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from listener.sources.config import SourceConfigBase


class BlueskySourceConfig(SourceConfigBase):
    type: Literal["bluesky"]
    queries: list[str] = Field(min_length=1)
    handle_env: str = "BLUESKY_HANDLE"
    app_password_env: str = "BLUESKY_APP_PASSWORD"
    service_url: str = Field(default="https://bsky.social", description="Where to log in")
    window_hours: int = Field(default=6, ge=1, description="Time window per search slice")
    backfill_hours: int = Field(default=24, ge=0, description="How far back the first run starts")
    settle_minutes: int = Field(
        default=5, ge=0,
        description="The newest slice ends this long before now, so posts still being "
        "indexed are not passed over",
    )
    page_size: int = Field(default=100, ge=1, le=100)
    max_pages: int = Field(default=50, ge=1, description="Pages per query per run")

    def credential_env(self) -> dict[str, str]:
        return {"handle": self.handle_env, "app password": self.app_password_env}

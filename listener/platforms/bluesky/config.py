"""The config model of ``type: bluesky`` sources: Bluesky (searchPosts)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from listener.sources.config import OwnChannelConfigBase, SourceConfigBase


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


class BlueskyOwnConfig(OwnChannelConfigBase):
    """``engagement.channels.bluesky``: the body's account
    (``listener.platforms.bluesky.own``). With its login (handle and app
    password) its notifications give its mentions; without, its feed and
    threads are read from the public AppView."""

    type: Literal["bluesky"] = "bluesky"
    handle_env: str | None = Field(default=None, description="Env var: the account's handle")
    app_password_env: str | None = Field(default=None, description="Env var: its app password")
    service_url: str = Field(default="https://bsky.social", description="Where to log in")
    appview: str = Field(default="https://public.api.bsky.app",
                         description="Public AppView, for reads without a login")
    page_size: int = Field(default=50, ge=1, le=100)
    max_pages: int = Field(default=20, ge=1, description="Pages per list per run")
    thread_depth: int = Field(default=6, ge=1, le=1000, description="Reply depth read per post")

    @model_validator(mode="after")
    def _both_or_neither(self) -> BlueskyOwnConfig:
        if bool(self.handle_env) != bool(self.app_password_env):
            raise ValueError("give both handle_env and app_password_env (a login), or neither")
        return self

    def credential_env(self) -> dict[str, str]:
        if self.handle_env and self.app_password_env:
            return {"handle": self.handle_env, "app password": self.app_password_env}
        return {}

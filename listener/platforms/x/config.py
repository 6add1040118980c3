"""The config model of ``type: x`` sources: X (recent search)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from listener.sources.config import OwnChannelConfigBase, SourceConfigBase


class XSourceConfig(SourceConfigBase):
    type: Literal["x"]
    queries: list[str] = Field(min_length=1)
    bearer_token_env: str = "X_BEARER_TOKEN"
    max_results: int = Field(default=100, ge=10, le=100)
    monthly_read_budget: int = Field(default=10_000, ge=0, description="Posts read per month")
    cost_per_read_usd: float = Field(default=0.005, ge=0)

    def credential_env(self) -> dict[str, str]:
        return {"bearer token": self.bearer_token_env}


class XOwnConfig(OwnChannelConfigBase):
    """``engagement.channels.x``: the body's X account (``listener.platforms.x.own``)."""

    type: Literal["x"] = "x"
    user_id: str | None = Field(default=None, pattern=r"^\d+$",
                                description="The account's numeric id (looked up when unset)")
    bearer_token_env: str = "X_BEARER_TOKEN"
    max_results: int = Field(default=100, ge=5, le=100)
    monthly_read_budget: int = Field(default=2_000, ge=0,
                                     description="Posts this channel may read per month")

    def credential_env(self) -> dict[str, str]:
        return {"bearer token": self.bearer_token_env}

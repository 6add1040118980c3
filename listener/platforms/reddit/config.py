"""The config model of ``type: reddit`` sources: Reddit."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from listener.sources.config import OwnChannelConfigBase, SourceConfigBase


class RedditSourceConfig(SourceConfigBase):
    type: Literal["reddit"]
    subreddits: list[str] = Field(min_length=1)
    queries: list[str] = Field(default_factory=list)
    include_comments: bool = Field(default=False,
                                   description="Also collect top-level comments of new posts")
    comment_limit: int = Field(default=100, ge=1, le=500,
                               description="Top-level comments fetched per new post")
    page_size: int = Field(default=100, ge=1, le=100)
    client_id_env: str = "REDDIT_CLIENT_ID"
    client_secret_env: str = "REDDIT_CLIENT_SECRET"
    user_agent: str = "civic-listener/0.1 (public-sector social listening)"

    def credential_env(self) -> dict[str, str]:
        return {"client id": self.client_id_env, "client secret": self.client_secret_env}


class RedditOwnConfig(OwnChannelConfigBase):
    """``engagement.channels.reddit``: the body's Reddit account, where it has
    one (``listener.platforms.reddit.own``): its comments and posts, and the
    replies to them. App credentials as for a Reddit source (read-only)."""

    type: Literal["reddit"] = "reddit"
    client_id_env: str = "REDDIT_CLIENT_ID"
    client_secret_env: str = "REDDIT_CLIENT_SECRET"
    user_agent: str = "civic-listener/0.1 (public-sector social listening)"
    page_size: int = Field(default=100, ge=1, le=100)
    comment_limit: int = Field(default=100, ge=1, le=500, description="Replies read per item")
    depth: int = Field(default=8, ge=1, le=10, description="Reply depth read under each item")

    def credential_env(self) -> dict[str, str]:
        return {"client id": self.client_id_env, "client secret": self.client_secret_env}

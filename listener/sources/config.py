"""Config models of the sources, one per ``type:``.

Every source names the environment variables its credentials come from
(never the values). ``credential_env()`` lists them so that config
validation can say which one is unset and ``listener sources`` can show
set/missing without ever printing a value.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator


class SourceConfigBase(BaseModel):
    model_config = ConfigDict(extra="forbid")

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


class SampleSourceConfig(SourceConfigBase):
    type: Literal["sample"]
    enabled: bool = True
    seed: int = 20261122
    page_size: int = Field(default=50, ge=1)
    page_delay_seconds: float = Field(default=0.0, ge=0)
    scale: float = Field(default=1.0, gt=0)


class XSourceConfig(SourceConfigBase):
    type: Literal["x"]
    queries: list[str] = Field(min_length=1)
    bearer_token_env: str = "X_BEARER_TOKEN"
    max_results: int = Field(default=100, ge=10, le=100)
    monthly_read_budget: int = Field(default=10_000, ge=0, description="Posts read per month")
    cost_per_read_usd: float = Field(default=0.005, ge=0)

    def credential_env(self) -> dict[str, str]:
        return {"bearer token": self.bearer_token_env}


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


class MastodonSourceConfig(SourceConfigBase):
    type: Literal["mastodon"]
    instances: list[str] = Field(min_length=1, description="Hosts, e.g. mastodon.social")
    hashtags: list[str] = Field(min_length=1, description="Tags without the leading #")
    access_tokens: dict[str, str] = Field(
        default_factory=dict,
        description="Instance -> env var of a token for THAT instance only (public hashtag "
        "timelines need none; a token is never sent to another instance)",
    )
    access_token_env: str | None = Field(
        default=None, description="Shorthand for access_tokens when there is one instance")
    page_size: int = Field(default=40, ge=1, le=40)
    backfill_hours: int = Field(default=24, ge=0, description="How far back the first run starts")
    lookback_minutes: int = Field(
        default=15, ge=0,
        description="Each run re-reads this margin below the cursor, for statuses that "
        "federate late (their id comes from their publication time)")
    max_pages: int = Field(default=50, ge=1, description="Pages per instance and tag per run")

    @field_validator("hashtags")
    @classmethod
    def _bare_tags(cls, tags: list[str]) -> list[str]:
        return [t.strip().lstrip("#") for t in tags]

    @model_validator(mode="after")
    def _tokens_for_known_instances(self) -> MastodonSourceConfig:
        if self.access_token_env:
            if len(self.instances) != 1:
                raise ValueError("access_token_env is for a single instance (a token belongs "
                                 "to one); with several, use access_tokens: {instance: VAR}")
            self.access_tokens.setdefault(self.instances[0], self.access_token_env)
        unknown = sorted(set(self.access_tokens) - set(self.instances))
        if unknown:
            raise ValueError(f"access_tokens names instances not in 'instances': {unknown}")
        return self

    def credential_env(self) -> dict[str, str]:
        return {f"access token for {host}": var for host, var in self.access_tokens.items()}


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


class RssSourceConfig(SourceConfigBase):
    type: Literal["rss"]
    feeds: list[str] = Field(min_length=1)
    max_pages: int = Field(
        default=1, ge=1,
        description="Feed documents per feed per run, following RFC 5005 rel=next links",
    )
    user_agent: str = "civic-listener/0.1 (+feed reader; public-sector social listening)"


class FileSourceConfig(SourceConfigBase):
    type: Literal["file"]
    path: str
    format: Literal["auto", "csv", "jsonl", "twarc"] = Field(
        default="auto", description="auto: by extension; JSONL lines that are X API v2 "
        "pages (twarc) are recognised either way")
    columns: dict[str, str] = Field(
        default_factory=dict,
        description="Our field -> column name in the file (a dotted path in JSONL)",
    )
    delimiter: str = Field(default=",", min_length=1, max_length=1)
    encoding: str = "utf-8-sig"
    page_size: int = Field(default=500, ge=1)

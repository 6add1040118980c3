"""The config model of ``type: mastodon`` sources: Mastodon (hashtag timelines)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator

from listener.sources.config import OwnChannelConfigBase, SourceConfigBase


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


class MastodonOwnConfig(OwnChannelConfigBase):
    """``engagement.channels.mastodon``: the body's account ``user@instance``
    (``listener.platforms.mastodon.own``)."""

    type: Literal["mastodon"] = "mastodon"
    access_token_env: str | None = Field(
        default=None, description="Env var of a token of the body's account on its own "
        "instance: its mentions come from notifications (without one: replies only)")
    page_size: int = Field(default=40, ge=1, le=40)
    backfill_hours: int = Field(default=168, ge=0, description="How far back the first run starts")
    lookback_minutes: int = Field(default=0, ge=0)
    max_pages: int = Field(default=50, ge=1, description="Pages per list per run")

    @field_validator("account")
    @classmethod
    def _full_acct(cls, value: str) -> str:
        acct = value.strip().lstrip("@")
        if acct.count("@") != 1 or not all(acct.split("@")):
            raise ValueError(f"write the account as user@instance, e.g. "
                             f"examplecouncil@mastodon.social (got {value!r})")
        return acct

    def credential_env(self) -> dict[str, str]:
        return {"access token": self.access_token_env} if self.access_token_env else {}

    @property
    def host(self) -> str:
        return self.account.split("@", 1)[1]

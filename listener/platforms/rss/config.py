"""The config model of ``type: rss`` sources: RSS and Atom feeds."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from listener.sources.config import OwnChannelConfigBase, SourceConfigBase


class RssSourceConfig(SourceConfigBase):
    type: Literal["rss"]
    feeds: list[str] = Field(min_length=1)
    max_pages: int = Field(
        default=1, ge=1,
        description="Feed documents per feed per run, following RFC 5005 rel=next links",
    )
    user_agent: str = "civic-listener/0.1 (+feed reader; public-sector social listening)"


class RssOwnConfig(OwnChannelConfigBase):
    """``engagement.channels.rss``: the body's own news feeds; every entry is
    the body's own post, published by ``account`` (``listener.platforms.rss.own``)."""

    type: Literal["rss"] = "rss"
    feeds: list[str] = Field(min_length=1)
    max_pages: int = Field(default=1, ge=1)
    user_agent: str = "civic-listener/0.1 (+feed reader; public-sector social listening)"
    replies_window_days: int = Field(default=0, ge=0, description="Feeds carry no replies")

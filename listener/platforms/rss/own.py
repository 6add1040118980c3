"""The body's own news feed (``engagement.channels.rss``): read exactly as
an RSS source reads feeds (conditional GET, RFC 5005 paging, undated
entries), each page marked as published by the body's account, so every
entry is stored as the body's own post whatever byline it carries."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from listener.platforms.rss.config import RssOwnConfig
from listener.platforms.rss.source import RssSource
from listener.sources.base import Page


class RssOwnSource(RssSource):
    def __init__(self, name: str, config: RssOwnConfig) -> None:
        super().__init__(name, config)  # type: ignore[arg-type]
        self.own = config

    def pages(self, cursor: Mapping[str, str]) -> Iterator[Page]:
        for page in super().pages(cursor):
            page.published_by = self.own.account
            yield page

"""RSS and Atom feeds: fetched with httpx, parsed with feedparser."""

from __future__ import annotations

from listener.platforms.entry import Lazy, OwnChannel, Platform
from listener.platforms.rss.config import RssOwnConfig, RssSourceConfig
from listener.platforms.rss.normalise import normalise
from listener.platforms.rss.split import split_feed

# published_from marks a date the RSS source gave an undated entry (first seen);
# *_raw keep a date as the feed wrote it when feedparser could read it; feed.url
# scopes an entry id that is not a URI (the normaliser's native id needs it).
_ENTRY = ["id", "link", "title", "summary", "content[].value", "published", "updated",
          "published_raw", "updated_raw", "published_from", "author"]

ALLOWED_FIELDS = ("feed.title", "feed.link", "feed.id", "feed.url",
                  *[f"entry.{f}" for f in _ENTRY])


def link(native_id: str, url: str | None) -> str | None:
    """The entry's own link: an article's address, not an account's."""
    return url


PLATFORM = Platform(
    id="rss", name="RSS/Atom", config=RssSourceConfig,
    source=Lazy("listener.platforms.rss.source:RssSource"),
    collects="RSS/Atom feeds: {feeds}",
    normalise=normalise, split=split_feed, allowed_fields=ALLOWED_FIELDS, link=link,
    own_channel=OwnChannel(
        RssOwnConfig, Lazy("listener.platforms.rss.own:RssOwnSource"),
        "the body's own news feeds, published as {account}: {feeds}"),
)

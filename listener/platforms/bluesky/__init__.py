"""Bluesky: authenticated ``app.bsky.feed.searchPosts`` with atproto."""

from __future__ import annotations

from listener.platforms.bluesky.config import BlueskyOwnConfig, BlueskySourceConfig
from listener.platforms.bluesky.normalise import normalise
from listener.platforms.bluesky.split import split_posts
from listener.platforms.entry import Lazy, OwnChannel, Platform

ALLOWED_FIELDS = ("uri", "indexedAt", "author.handle", "record.text", "record.createdAt",
                  "record.langs", "record.reply.parent.uri", "record.reply.root.uri",
                  "replyCount", "repostCount", "likeCount", "quoteCount")


def link(native_id: str, url: str | None) -> str | None:
    """``bsky.app/profile/<did>/post/<rkey>``: the account's DID (a stable
    opaque id) stands where the handle would."""
    parts = native_id.removeprefix("at://").split("/")
    if not native_id.startswith("at://did:") or len(parts) != 3 or not parts[2]:
        return None
    return f"https://bsky.app/profile/{parts[0]}/post/{parts[2]}"


PLATFORM = Platform(
    id="bluesky", name="Bluesky", config=BlueskySourceConfig,
    source=Lazy("listener.platforms.bluesky.source:BlueskySource"),
    collects="Bluesky `app.bsky.feed.searchPosts`, queries: {queries}",
    normalise=normalise, split=split_posts, allowed_fields=ALLOWED_FIELDS,
    checker=Lazy("listener.platforms.bluesky.checker:make_checker"), link=link,
    hosted="the USA",
    own_channel=OwnChannel(
        BlueskyOwnConfig, Lazy("listener.platforms.bluesky.own:BlueskyOwnSource"),
        "the body's Bluesky account @{account}: its feed (`getAuthorFeed`), the replies to "
        "its posts (`getPostThread`) and, logged in, its notifications (mentions, replies)"),
)

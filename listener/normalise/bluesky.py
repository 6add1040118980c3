"""Bluesky: one ``postView`` as in ``app.bsky.feed.searchPosts`` ``posts[]``.

``record.createdAt`` is written by the client and can be forged: a value
before Bluesky existed or well after the AppView indexed the post falls back
to ``indexedAt``.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from listener.normalise import NormaliseError
from listener.normalise.fields import count, mapping, optional_text, parse_time, text
from storage.records import Post

BLUESKY_EPOCH = datetime(2023, 2, 1, tzinfo=UTC)
CLOCK_SKEW = timedelta(minutes=10)


def _created(record: dict[str, Any], indexed: datetime) -> datetime:
    try:
        claimed = parse_time(record.get("createdAt"), "record.createdAt")
    except NormaliseError:
        return indexed
    if claimed < BLUESKY_EPOCH or claimed > indexed + CLOCK_SKEW:
        return indexed
    return claimed


def _rkey(uri: str) -> str:
    # at://<did>/app.bsky.feed.post/<rkey>
    parts = uri.removeprefix("at://").split("/")
    if len(parts) != 3 or not parts[2]:
        raise NormaliseError(f"'uri' is not an at:// post uri: {uri!r}")
    return parts[2]


def normalise(item: dict[str, Any]) -> Post:
    if not isinstance(item, dict):
        raise NormaliseError(f"expected a postView object, got {type(item).__name__}")
    uri = text(item, "uri")
    author = mapping(item, "author")
    handle = text(author, "handle")
    record = mapping(item, "record")
    body = text(record, "text")
    indexed = parse_time(item.get("indexedAt"), "indexedAt")
    langs = record.get("langs")
    reply = record.get("reply")
    parent = reply.get("parent") if isinstance(reply, dict) else None
    return Post(
        platform="bluesky",
        native_id=uri,
        text=body,
        created_at=_created(record, indexed),
        url=f"https://bsky.app/profile/{handle}/post/{_rkey(uri)}",
        author_handle=handle,
        lang=langs[0] if isinstance(langs, list) and langs and isinstance(langs[0], str) else None,
        replies=count(item, "replyCount"),
        reposts=count(item, "repostCount"),
        likes=count(item, "likeCount"),
        quotes=count(item, "quoteCount"),
        in_reply_to=optional_text(parent, "uri") if isinstance(parent, dict) else None,
    )

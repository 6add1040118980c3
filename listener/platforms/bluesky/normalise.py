"""Bluesky: one ``postView`` as in ``app.bsky.feed.searchPosts`` ``posts[]``.

An image-only post has an empty ``text``; its image alt texts (or link card)
stand in, and with none it is stored with empty text: it is a real post, not
a malformed one.

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


def _embed_text(view: Any) -> str:
    """Words an empty-text post carries in its embed: image alt texts, a link
    card's title and description (the hydrated ``embed`` of the postView)."""
    if not isinstance(view, dict):
        return ""
    parts: list[str] = []
    media = view.get("media")  # recordWithMedia
    if isinstance(media, dict):
        parts.append(_embed_text(media))
    for image in view.get("images") or []:
        if isinstance(image, dict) and isinstance(image.get("alt"), str):
            parts.append(image["alt"].strip())
    external = view.get("external")
    if isinstance(external, dict):
        parts += [str(external.get(k) or "").strip() for k in ("title", "description")]
    return "\n".join(p for p in parts if p)


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
    # ``text`` is required by the lexicon but may be empty (an image-only post)
    body = text(record, "text", allow_empty=True).strip() or _embed_text(item.get("embed"))
    indexed = parse_time(item.get("indexedAt"), "indexedAt")
    langs = record.get("langs")
    reply = record.get("reply")
    parent = reply.get("parent") if isinstance(reply, dict) else None
    root = reply.get("root") if isinstance(reply, dict) else None
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
        thread_id=optional_text(root, "uri") if isinstance(root, dict) else None,
    )

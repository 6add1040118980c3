"""Sample pages shaped like ``app.bsky.feed.searchPosts`` responses
(``{"posts": [postView...], "cursor"}``)."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta
from functools import cache
from typing import Any

from listener.sample.ids import iso_z, metric, tid
from listener.sample.plan import PlannedPost

QUERIES = {"bluesky:search": '"Ashby Marsh" OR #AshbyMarsh'}
FORGED_EVERY = 97  # one post in this many claims a forged createdAt (seen in the wild)
_TAG = re.compile(r"#(\w+)")


@cache
def _did(handle: str) -> str:
    return "did:plc:" + _b32(hashlib.sha256(handle.encode()).digest())[:24]


def did(post: PlannedPost) -> str:
    return _did(post.author.handle)


def uri(i: int, posts: list[PlannedPost]) -> str:
    return f"at://{did(posts[i])}/app.bsky.feed.post/{tid(i, posts[i].created)}"


_HEX_TO_B32 = str.maketrans("0189", "qrst")  # hex digits outside the base32 alphabet


def _b32(raw: bytes) -> str:
    """Base32-looking text for a digest (cheap: the sample needs the look, not the codec)."""
    return raw.hex().translate(_HEX_TO_B32)


def _cid(i: int) -> str:
    return "bafyrei" + _b32(hashlib.sha256(i.to_bytes(8, "big")).digest())[:52]


def _facets(text: str) -> list[dict[str, Any]]:
    facets = []
    for m in _TAG.finditer(text):
        start = len(text[: m.start()].encode())
        facets.append({"index": {"byteStart": start, "byteEnd": start + len(m.group(0).encode())},
                       "features": [{"$type": "app.bsky.richtext.facet#tag", "tag": m.group(1)}]})
    return facets


def post_view(i: int, posts: list[PlannedPost]) -> dict[str, Any]:
    post = posts[i]
    author_did = did(post)
    record: dict[str, Any] = {"$type": "app.bsky.feed.post", "createdAt": iso_z(post.created, i),
                              "langs": [post.lang], "text": post.text}
    facets = _facets(post.text)
    if facets:
        record["facets"] = facets
    if post.kind == "reply" and post.parent is not None:
        ref = {"uri": uri(post.parent, posts), "cid": _cid(post.parent)}
        record["reply"] = {"root": ref, "parent": ref}
    if i % FORGED_EVERY == 0:
        record["createdAt"] = "1970-01-01T00:00:00.000Z"
    if post.broken:
        del record["text"]
    return {
        "uri": uri(i, posts), "cid": _cid(i),
        "author": {"did": author_did, "handle": post.author.handle,
                   "displayName": post.author.handle.split(".")[0].title(),
                   "avatar": f"https://cdn.bsky.app/img/avatar/plain/{author_did}/{_cid(i)}@jpeg",
                   "associated": {"chat": {"allowIncoming": "following"}},
                   "viewer": {"muted": False, "blockedBy": False}, "labels": [],
                   "createdAt": "2023-11-20T10:00:00.000Z"},
        "record": record,
        "replyCount": metric(i, 14, 10), "repostCount": metric(i, 15, 20),
        "likeCount": metric(i, 16, 80), "quoteCount": metric(i, 17, 4), "bookmarkCount": 0,
        "indexedAt": iso_z(post.created + timedelta(seconds=1), i + 350),
        "labels": [], "viewer": {"bookmarked": False, "threadMuted": False,
                                 "embeddingDisabled": False},
    }


def page(entries: list[int], posts: list[PlannedPost], stream: str,
         next_token: str | None) -> dict[str, Any]:
    """A searchPosts response (``sort=latest``: newest first)."""
    body: dict[str, Any] = {"posts": [post_view(i, posts) for i in reversed(entries)]}
    if next_token:
        body["cursor"] = next_token
    return body

"""Reddit: one child of a Listing (``GET /search``, ``/r/<sub>/new``, a
comments listing): ``{"kind": "t3" | "t1", "data": {...}}``.

A submission (t3) gives its self text (its title goes in ``title``; a link
post with no self text uses the title as text); a comment (t1) its body.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from listener.normalise import NormaliseError
from listener.normalise.fields import count, mapping, optional_text, parse_time, text
from storage.records import Post

_DELETED = {"[deleted]", "[removed]"}
_BASE = "https://www.reddit.com"


def _url(data: dict[str, Any], kind: str) -> str | None:
    permalink = optional_text(data, "permalink")
    if permalink:
        return _BASE + urlsplit(permalink).path
    link_id, sub, short = data.get("link_id"), data.get("subreddit"), data.get("id")
    if kind == "t1" and isinstance(link_id, str) and sub and short:
        return f"{_BASE}/r/{sub}/comments/{link_id.removeprefix('t3_')}/_/{short}/"
    return None


def normalise(item: dict[str, Any]) -> Post:
    kind = item.get("kind") if isinstance(item, dict) else None
    if kind not in ("t3", "t1"):
        raise NormaliseError(f"unsupported reddit kind {kind!r} (expected t3 or t1)")
    data = mapping(item, "data")
    name = text(data, "name")
    created = parse_time(data.get("created_utc"), "created_utc")
    if kind == "t3":
        title = text(data, "title")
        body = optional_text(data, "selftext") or title
    else:
        title = None
        body = text(data, "body")
    if body in _DELETED:
        raise NormaliseError(f"{name}: body was {body} (no text left to keep)")
    author = optional_text(data, "author")
    return Post(
        platform="reddit",
        native_id=name,
        text=body,
        title=title,
        created_at=created,
        url=_url(data, kind),
        author_handle=None if author is None or author in _DELETED else author,
        likes=count(data, "score", signed=True),
        replies=count(data, "num_comments"),
        in_reply_to=optional_text(data, "parent_id") if kind == "t1" else None,
        thread_id=optional_text(data, "link_id") if kind == "t1" else name,
    )

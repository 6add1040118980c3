"""Splitting a Bluesky search page into items: the one Bluesky splitter,
used by the Bluesky source and the sample.

``app.bsky.feed.searchPosts`` answers ``{"posts": [postView, ...], "cursor"}``;
each ``postView`` is one item, kept as the raw JSON (atproto's models would
reject a whole page for one malformed post). An element that is not an
object is kept (wrapped) for the normaliser to quarantine.
"""

from __future__ import annotations

from typing import Any

from listener.sources.base import RawItem


def split_posts(body: Any) -> list[RawItem]:
    posts = body.get("posts") if isinstance(body, dict) else None
    if not isinstance(posts, list):
        return []
    return [RawItem(p if isinstance(p, dict) else {"malformed": p}) for p in posts]

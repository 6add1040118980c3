"""The body's own Reddit account (``engagement.channels.reddit``), through
praw (read-only app credentials):

- its comments and its posts (``/user/<name>/comments`` and ``/submitted``,
  sorted by new), walked as the Reddit source walks a listing (``since`` and
  seen names; resumable at ``after``);
- the replies under each of them of the last ``replies_window_days``
  (``/comments/<post>?comment=<id>&depth=N``; a post's whole comment tree),
  read again each run, so a later reply is found. A deleted comment
  (``[deleted]``) is quarantined as ever; its replies keep a missing parent.

Replies are linked by ``parent_id`` and threaded by ``link_id``.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator, Mapping
from typing import Any

from listener.platforms.reddit.config import RedditOwnConfig
from listener.platforms.reddit.source import OAUTH, RedditSource
from listener.platforms.reddit.split import split_listing
from listener.sources.base import Page, RawItem


class RedditOwnSource(RedditSource):
    def __init__(self, name: str, config: RedditOwnConfig) -> None:
        super().__init__(name, config)  # type: ignore[arg-type]
        self.own = config
        self.clock = time.time

    @property
    def user(self) -> str:
        return self.own.account.strip().removeprefix("/").removeprefix("u/")

    def listings(self) -> list[tuple[str, str, dict[str, Any]]]:
        return [(f"u/{self.user} {kind}", f"user/{self.user}/{kind}", {"sort": "new"})
                for kind in ("comments", "submitted")]

    def pages(self, cursor: Mapping[str, str]) -> Iterator[Page]:
        recent: dict[str, list[Any]] = json.loads(cursor.get("recent") or "{}")

        def keep(page: Page) -> Page:
            page.cursor["recent"] = json.dumps(self._window(recent), separators=(",", ":"))
            return page

        for key, path, params in self.listings():
            for page in self._listing_pages(key, path, params, cursor):
                for item in page.items:
                    data = item.payload.get("data")
                    if isinstance(data, dict) and data.get("name") and data.get("created_utc"):
                        article = str(data.get("link_id") or data["name"]).removeprefix("t3_")
                        recent[str(data["name"])] = [data["created_utc"], article]
                yield keep(page)
        for name, (_, article) in self._window(recent).items():
            query: dict[str, Any] = {"limit": self.own.comment_limit, "depth": self.own.depth,
                                     "sort": "new"}
            if name.startswith("t1_"):
                query["comment"] = name.removeprefix("t1_")
            path = f"comments/{article}/"
            body = self._get(path, query)
            listing = body[1] if isinstance(body, list) and len(body) > 1 else {}
            replies = [i for i in _tree(split_listing(listing))
                       if i.payload.get("data", {}).get("name") != name]
            if replies:
                yield keep(Page("reddit", replies, query=f"u/{self.user} replies",
                                request={"endpoint": f"GET {OAUTH}{path}", **query}))

    def _window(self, recent: dict[str, list[Any]]) -> dict[str, list[Any]]:
        since = self.clock() - self.own.replies_window_days * 86400
        return {n: v for n, v in recent.items()
                if isinstance(v[0], int | float) and v[0] >= since}


def _tree(items: list[RawItem]) -> list[RawItem]:
    """Every comment of a comment tree (``data.replies`` holds a Listing of
    the replies; "more" stubs are left out), parents before their replies."""
    out: list[RawItem] = []
    stack = list(reversed(items))
    while stack:
        item = stack.pop()
        if item.payload.get("kind") == "more":
            continue
        out.append(item)
        data = item.payload.get("data")
        replies = data.get("replies") if isinstance(data, dict) else None
        if isinstance(replies, dict):
            stack.extend(reversed(split_listing(replies)))
    return out

"""The body's own Bluesky account (``engagement.channels.bluesky``), through
atproto:

- ``app.bsky.feed.getAuthorFeed`` (its posts and replies, newest first): a
  post of the body that answers someone comes with that post
  (``reply.parent``), so the answer and its question are linked;
- ``app.bsky.feed.getPostThread`` for each of its posts of the last
  ``replies_window_days``: every reply under it, at any depth (read again
  each run, so a later reply is found; a deleted reply, ``notFoundPost``, is
  passed over and its children keep a missing parent);
- logged in, ``app.bsky.notification.listNotifications``: mentions, replies
  and quotes, marked addressed to the body.

Lists newest first are read down to the newest time of the last completed
pass (``<list>|since``); while a pass pages, ``<list>|pending`` and
``<list>|page`` are saved with each page so a killed run resumes. Payloads
are the JSON as sent (a notification has a post's ``uri``, ``author``,
``record`` and ``indexedAt``: the post normaliser reads it).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from atproto import Client, models
from atproto_client.request import Request

from listener.platforms.bluesky.config import BlueskyOwnConfig
from listener.platforms.bluesky.source import BlueskySource, parse_stamp
from listener.sources.base import Page, RawItem
from listener.sources.errors import SourceError, require_env

FEED, THREAD, NOTIFICATIONS = ("app.bsky.feed.getAuthorFeed", "app.bsky.feed.getPostThread",
                               "app.bsky.notification.listNotifications")
ADDRESSED = ("mention", "reply", "quote")


def _post_view(value: Any) -> bool:
    return isinstance(value, dict) and "uri" in value and "record" in value and \
        "notFound" not in value and "blocked" not in value


class BlueskyOwnSource(BlueskySource):
    def __init__(self, name: str, config: BlueskyOwnConfig) -> None:
        self.name = name
        self.config = config  # type: ignore[assignment]
        self.own = config
        self.sleep: Callable[[float], None] = time.sleep
        self.clock: Callable[[], datetime] = lambda: datetime.now(UTC)
        self._client: Client | None = None
        self._handle = self._password = ""
        if config.handle_env and config.app_password_env:
            self._handle = require_env(config.handle_env, "handle", name)
            self._password = require_env(config.app_password_env, "app password", name)

    def _reader(self) -> Client:
        if self._handle:
            return self._login()
        return Client(base_url=self.own.appview.rstrip("/") + "/xrpc",
                      request=Request(timeout=self.own.timeout_seconds))

    def _get(self, client: Client, nsid: str, params: Any) -> dict[str, Any]:
        return self._invoke(client, nsid, params, nsid)

    def pages(self, cursor: Mapping[str, str]) -> Iterator[Page]:
        client = self._reader()
        account = self.own.account.lstrip("@").lower()
        recent: dict[str, str] = json.loads(cursor.get("recent") or "{}")

        def feed_items(body: dict[str, Any]) -> list[dict[str, Any]]:
            items: list[dict[str, Any]] = []
            for entry in body.get("feed") or []:
                post = entry.get("post") if isinstance(entry, dict) else None
                reply = entry.get("reply") if isinstance(entry, dict) else None
                if isinstance(reply, dict):  # the post it answers, and that thread's root
                    items += [reply[k] for k in ("root", "parent") if _post_view(reply.get(k))]
                if isinstance(post, dict):
                    items.append(post)
                    author = post.get("author")
                    if isinstance(author, dict) and str(author.get("handle", "")).lower() \
                            == account and post.get("uri") and post.get("indexedAt"):
                        recent[str(post["uri"])] = str(post["indexedAt"])
                else:
                    items.append({"malformed": entry})
            return items

        def keep(page: Page) -> Page:
            page.cursor["recent"] = json.dumps(self._window(recent), separators=(",", ":"))
            return page

        yield from map(keep, self._list(
            client, "feed", cursor, FEED,
            lambda c: models.AppBskyFeedGetAuthorFeed.Params(
                actor=account, filter="posts_with_replies", limit=self.own.page_size, cursor=c),
            "feed", feed_items))
        for uri in self._window(recent):
            body = self._get(client, THREAD, models.AppBskyFeedGetPostThread.Params(
                uri=uri, depth=self.own.thread_depth, parent_height=0))
            replies = _replies(body.get("thread"))
            if replies:
                yield keep(Page(self.platform, [RawItem(r) for r in replies],
                                query=f"@{account} replies",
                                request={"endpoint": THREAD, "uri": uri}))
        if self._handle:
            yield from map(keep, self._list(
                client, "notifications", cursor, NOTIFICATIONS,
                lambda c: models.AppBskyNotificationListNotifications.Params(
                    limit=self.own.page_size, cursor=c),
                "notifications",
                lambda body: [n for n in body.get("notifications") or []
                              if not isinstance(n, dict) or n.get("reason") in ADDRESSED],
                addressed=True))

    def _window(self, recent: dict[str, str]) -> dict[str, str]:
        since = self.clock() - timedelta(days=self.own.replies_window_days)
        return {u: t for u, t in recent.items() if (parse_stamp(t) or since) >= since}

    def _list(self, client: Client, key: str, cursor: Mapping[str, str], nsid: str,
              params: Callable[[str | None], Any], field: str,
              items: Callable[[dict[str, Any]], list[Any]], *,
              addressed: bool = False) -> Iterator[Page]:
        """A newest-first list, down to the newest time of the last pass."""
        since = parse_stamp(cursor.get(f"{key}|since"))
        pending = cursor.get(f"{key}|pending") or ""
        page_cursor = cursor.get(f"{key}|page") or None
        for _ in range(self.own.max_pages):
            body = self._get(client, nsid, params(page_cursor))
            if not isinstance(body.get(field), list):
                raise SourceError(f"{nsid} returned no {field!r} list")
            found = items(body)
            times = [_indexed(i) for i in found]
            newer = [i for i, t in zip(found, times, strict=True)
                     if since is None or t is None or t > since]
            dated = [(t, str(i["indexedAt"])) for i, t in zip(found, times, strict=True)
                     if t is not None and (since is None or t > since)]
            pending = pending or (max(dated)[1] if dated else "")
            next_cursor = body.get("cursor")
            more = bool(found) and len(newer) == len(found) and isinstance(next_cursor, str) \
                and bool(next_cursor)
            state = ({f"{key}|pending": pending, f"{key}|page": str(next_cursor)} if more else
                     {f"{key}|since": pending or cursor.get(f"{key}|since", ""),
                      f"{key}|pending": "", f"{key}|page": ""})
            yield Page(self.platform, [RawItem(i if isinstance(i, dict) else {"malformed": i})
                                       for i in newer],
                       query=f"@{self.own.account} {key}", cursor=state,
                       request={"endpoint": nsid, "cursor": page_cursor}, addressed=addressed)
            if not more:
                return
            page_cursor = str(next_cursor)


def _indexed(item: Any) -> datetime | None:
    value = item.get("indexedAt") if isinstance(item, dict) else None
    try:
        return parse_stamp(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _replies(node: Any) -> list[dict[str, Any]]:
    """Every post under a thread view, depth first; deleted or blocked
    replies (``notFoundPost``, ``blockedPost``) are passed over."""
    out: list[dict[str, Any]] = []
    stack = list(reversed(node.get("replies") or [])) if isinstance(node, dict) else []
    while stack:
        child = stack.pop()
        if not isinstance(child, dict) or not _post_view(child.get("post")):
            continue
        out.append(child["post"])
        stack.extend(reversed(child.get("replies") or []))
    return out

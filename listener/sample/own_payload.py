"""Sample pages of the body's own channels, in the shapes its own-channel
fetches read (``listener.platforms.<id>.own``): X ``users/:id/tweets`` and
``users/:id/mentions`` (a search page's shape), Mastodon account statuses
and mention notifications from the council's instance (each status with the
``in_reply_to_uri`` the fetch adds), Bluesky ``getAuthorFeed`` posts and
notifications."""

from __future__ import annotations

from typing import Any

from listener.platforms.registry import splitter
from listener.sample import bluesky_payload, mastodon_payload, x_payload
from listener.sample.engagement import ADDRESSED_STREAMS
from listener.sample.plan import PlannedPost
from listener.sources.base import RawItem

HOME = "mastodon.social"  # the council's Mastodon instance
ENDPOINTS = {
    "x:own-timeline": "https://api.x.com/2/users/100000001/tweets",
    "x:own-mentions": "https://api.x.com/2/users/100000001/mentions",
    "mastodon:own-statuses": f"https://{HOME}/api/v1/accounts/100000001/statuses",
    "mastodon:own-notifications": f"https://{HOME}/api/v1/notifications",
    "bluesky:own-feed": "https://public.api.bsky.app/xrpc/app.bsky.feed.getAuthorFeed",
    "bluesky:own-notifications":
        "https://bsky.social/xrpc/app.bsky.notification.listNotifications",
}


def _mastodon(i: int, posts: list[PlannedPost]) -> dict[str, Any]:
    status = mastodon_payload.status(i, posts, HOME)
    parent = posts[i].parent
    if posts[i].kind == "reply" and parent is not None:
        status["in_reply_to_uri"] = mastodon_payload.status(parent, posts, HOME)["uri"]
        status["in_reply_to_account_id"] = posts[parent].author.user_id
    return status


def _notification(view: dict[str, Any]) -> dict[str, Any]:
    reason = "reply" if "reply" in view["record"] else "mention"
    return {"uri": view["uri"], "cid": view["cid"], "author": view["author"],
            "reason": reason, "record": view["record"], "isRead": False,
            "indexedAt": view["indexedAt"], "labels": []}


def own_items(entries: list[int], posts: list[PlannedPost], stream: str,
              token: str | None) -> list[RawItem]:
    """The items of one own-channel page (newest first, as the APIs list)."""
    platform = stream.split(":", 1)[0]
    newest_first = list(reversed(entries))
    if platform == "x":
        return splitter("x")(x_payload.page(entries, posts, stream, token))
    if platform == "mastodon":
        return [RawItem(_mastodon(i, posts)) for i in newest_first]
    views = [bluesky_payload.post_view(i, posts) for i in newest_first]
    if stream in ADDRESSED_STREAMS:
        return [RawItem(_notification(v)) for v in views]
    return [RawItem(v) for v in views]

"""Bluesky: ``app.bsky.feed.getPosts`` (25 uris a call) through the atproto
client against the public AppView, which needs no login. A deleted post, or
one whose account was deleted or taken down, is absent from ``posts``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from atproto import Client

from listener.platforms.deletion import Billing, Due, Status

if TYPE_CHECKING:
    from listener.config import Settings


class BlueskyChecker:
    platform = "bluesky"
    billing: Billing | None = None
    batch_size = 25

    def __init__(self, appview: str) -> None:
        self._client = Client(base_url=appview.rstrip("/") + "/xrpc")

    def check(self, batch: Sequence[Due]) -> dict[str, Status]:
        uris = [d.native_id for d in batch if d.native_id.startswith("at://")]
        out: dict[str, Status] = {d.native_id: "uncheckable" for d in batch
                                  if not d.native_id.startswith("at://")}
        if not uris:
            return out
        response = self._client.app.bsky.feed.get_posts(params={"uris": uris})
        present = {post.uri for post in response.posts}
        for uri in uris:
            out[uri] = "present" if uri in present else "gone"
        return out


def make_checker(settings: Settings) -> BlueskyChecker:
    """The public AppView needs no login (``privacy.deletion_sync.bluesky_appview``)."""
    return BlueskyChecker(settings.privacy.deletion_sync.bluesky_appview)

"""Reddit: ``GET /api/info?id=t3_..,t1_..`` through praw ``Reddit.info``
(100 fullnames a call). A post deleted by its author comes back with author
``[deleted]`` and text ``[deleted]``; a removed one with
``removed_by_category`` set or text ``[removed]``; one that no longer exists
(or sits in a subreddit gone private) is absent from the answer."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TYPE_CHECKING

import praw

from listener.platforms.deletion import Billing, Due, Status, configured

if TYPE_CHECKING:
    from listener.config import Settings

_GONE_TEXT = {"[deleted]", "[removed]"}


class RedditChecker:
    platform = "reddit"
    billing: Billing | None = None
    batch_size = 100

    def __init__(self, client_id: str, client_secret: str, user_agent: str,
                 timeout: float) -> None:
        self._reddit = praw.Reddit(client_id=client_id, client_secret=client_secret,
                                   user_agent=user_agent, timeout=int(timeout),
                                   check_for_updates=False)

    def check(self, batch: Sequence[Due]) -> dict[str, Status]:
        names = [d.native_id for d in batch if d.native_id[:3] in ("t1_", "t3_")]
        out: dict[str, Status] = {d.native_id: "uncheckable" for d in batch
                                  if d.native_id not in names}
        if not names:
            return out
        seen: set[str] = set()
        for thing in self._reddit.info(fullnames=names):
            data = vars(thing)  # the fields as fetched; attribute access could fetch again
            name = str(data.get("name") or thing.fullname)
            seen.add(name)
            text = data.get("selftext") if name.startswith("t3_") else data.get("body")
            removed = bool(data.get("removed_by_category")) or text in _GONE_TEXT
            out[name] = "gone" if removed else "present"
        for name in names:
            if name not in seen:
                out[name] = "gone"
        return out


def make_checker(settings: Settings) -> RedditChecker | None:
    """With the app credentials of the first configured Reddit source."""
    sources = configured(settings, "reddit")
    if not sources:
        return None
    config = sources[0][1]
    client_id = os.environ.get(config.client_id_env)
    secret = os.environ.get(config.client_secret_env)
    if not (client_id and secret):
        return None
    return RedditChecker(client_id, secret, config.user_agent, config.timeout_seconds)

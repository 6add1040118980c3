"""X: ``GET /2/tweets?ids=`` through tweepy ``Client.get_tweets`` (100 ids a
call). Every tweet returned is a billed read: it is counted against the X
source's monthly read budget, and re-checks stop when the budget is spent.
A deleted tweet comes back in ``errors`` as ``resource-not-found``;
a tweet whose author went protected (or was suspended) as
``not-authorized-for-resource``."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import tweepy

from listener.platforms.deletion import Billing, Due, Status, configured

if TYPE_CHECKING:
    from listener.config import Settings

GONE_TYPES = ("resource-not-found", "not-authorized-for-resource")


class XChecker:
    platform = "x"
    batch_size = 100

    def __init__(self, bearer_token: str, billing: Billing | None = None) -> None:
        self._client = tweepy.Client(bearer_token=bearer_token, wait_on_rate_limit=False)
        self.billing = billing

    def check(self, batch: Sequence[Due]) -> dict[str, Status]:
        ids = [d.native_id for d in batch if d.native_id.isdigit()]
        out: dict[str, Status] = {d.native_id: "uncheckable" for d in batch
                                  if not d.native_id.isdigit()}
        if not ids:
            return out
        response: Any = self._client.get_tweets(ids=ids, tweet_fields=["id"], user_auth=False)
        for tweet in response.data or []:
            out[str(tweet.id)] = "present"
        for error in response.errors or []:
            kind = str(error.get("type", ""))
            ident = str(error.get("resource_id") or error.get("value") or "")
            if ident in ids and kind.rsplit("/", 1)[-1] in GONE_TYPES:
                out[ident] = "gone"
        return out


def make_checker(settings: Settings) -> XChecker | None:
    """With the bearer token and read budget of the first configured X source."""
    sources = configured(settings, "x")
    token = os.environ.get(sources[0][1].bearer_token_env) if sources else None
    if not token:
        return None
    name, config = sources[0]
    return XChecker(token, Billing(name, config.monthly_read_budget))

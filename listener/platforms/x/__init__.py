"""X (Twitter): API v2 recent search through tweepy."""

from __future__ import annotations

from listener.platforms.entry import Lazy, OwnChannel, Platform
from listener.platforms.x.config import XOwnConfig, XSourceConfig
from listener.platforms.x.normalise import normalise
from listener.platforms.x.split import split_page

_TWEET = ["id", "text", "created_at", "author_id", "lang", "geo.place_id", "conversation_id",
          "referenced_tweets[].type", "referenced_tweets[].id",
          "public_metrics.reply_count", "public_metrics.retweet_count",
          "public_metrics.like_count", "public_metrics.quote_count"]

ALLOWED_FIELDS = (*[f"tweet.{f}" for f in _TWEET],
                  "includes.users[].id", "includes.users[].username",
                  "includes.places[].id", "includes.places[].full_name",
                  "includes.tweets[].id", "includes.tweets[].text")


def link(native_id: str, url: str | None) -> str | None:
    """``x.com/i/status/<id>``: X resolves it to the post without the handle."""
    return f"https://x.com/i/status/{native_id}" if native_id.isdigit() else None


PLATFORM = Platform(
    id="x", name="X", config=XSourceConfig,
    source=Lazy("listener.platforms.x.source:XSource"),
    collects="X API v2 recent search (`GET /2/tweets/search/recent`), queries: {queries}",
    normalise=normalise, split=split_page, allowed_fields=ALLOWED_FIELDS,
    checker=Lazy("listener.platforms.x.checker:make_checker"), link=link, hosted="the USA",
    own_channel=OwnChannel(
        XOwnConfig, Lazy("listener.platforms.x.own:XOwnSource"),
        "the body's X account @{account}: its posts (`GET /2/users/:id/tweets`) and its "
        "mentions, including replies to it (`GET /2/users/:id/mentions`)"),
)

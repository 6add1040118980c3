"""Mastodon: public hashtag timelines on several instances, with Mastodon.py."""

from __future__ import annotations

from listener.platforms.entry import Lazy, OwnChannel, Platform
from listener.platforms.mastodon.config import MastodonOwnConfig, MastodonSourceConfig
from listener.platforms.mastodon.normalise import normalise
from listener.platforms.mastodon.split import split_statuses

_STATUS = ["id", "uri", "url", "created_at", "content", "spoiler_text", "language",
           "in_reply_to_id", "in_reply_to_uri", "replies_count", "reblogs_count",
           "favourites_count", "quotes_count", "account.acct", "account.url",
           "mentions[].acct", "mentions[].url"]

ALLOWED_FIELDS = (*_STATUS, *[f"reblog.{f}" for f in _STATUS])

# No link form without the handle: a status's uri and url both carry the
# account's name (``/users/<name>/statuses/<id>``, ``/@<name>/<id>``).
PLATFORM = Platform(
    id="mastodon", name="Mastodon", config=MastodonSourceConfig,
    source=Lazy("listener.platforms.mastodon.source:MastodonSource"),
    collects="public hashtag timelines #{hashtags} on {instances}",
    normalise=normalise, split=split_statuses, allowed_fields=ALLOWED_FIELDS,
    checker=Lazy("listener.platforms.mastodon.checker:make_checker"),
    hosted="wherever each instance is run",
    own_channel=OwnChannel(
        MastodonOwnConfig, Lazy("listener.platforms.mastodon.own:MastodonOwnSource"),
        "the body's Mastodon account {account}: its statuses, the replies to them (status "
        "context) and, with a token, its mentions (notifications)"),
)

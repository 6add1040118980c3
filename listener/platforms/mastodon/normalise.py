"""Mastodon: one status object as the REST API returns it (JSON; datetimes as
ISO strings), from a public or hashtag timeline of any instance.

The post is keyed on the status ``uri`` (its ActivityPub id), so the same
status seen through two instances is one post. A reblog is normalised as the
status it reblogs. A status's ``in_reply_to_id`` is the id its parent has on
the instance that served it, not the parent's ``uri``: the body's own-channel
fetch adds ``in_reply_to_uri`` where it knows the parent (the same thread's
statuses, or the body's own statuses), and the reply is linked by that.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from listener.normalise import NormaliseError
from listener.normalise.fields import (
    count,
    html_to_text,
    mapping,
    optional_text,
    parse_time,
    text,
)
from storage.records import Post


def _acct(account: dict[str, Any]) -> str:
    """``user@instance``: a local account's ``acct`` has no domain, so it is
    taken from the account's profile URL."""
    acct = text(account, "acct").lstrip("@")
    if "@" in acct:
        return acct
    host = urlsplit(optional_text(account, "url") or "").hostname
    if not host:
        raise NormaliseError(f"account {acct!r} has no domain and no usable 'url'")
    return f"{acct}@{host}"


def _mentions(status: dict[str, Any]) -> tuple[str, ...]:
    out = []
    for mention in status.get("mentions") or []:
        if isinstance(mention, dict) and mention.get("acct"):
            try:
                out.append(_acct(mention))
            except NormaliseError:
                continue
    return tuple(out)


def normalise(item: dict[str, Any]) -> Post:
    if not isinstance(item, dict):
        raise NormaliseError(f"expected a status object, got {type(item).__name__}")
    status = item["reblog"] if isinstance(item.get("reblog"), dict) else item
    uri = text(status, "uri")
    created = parse_time(status.get("created_at"), "created_at")
    content = html_to_text(text(status, "content", allow_empty=True))
    spoiler = optional_text(status, "spoiler_text")
    if not content and not spoiler:
        raise NormaliseError(f"status {uri} has empty 'content'")
    account = mapping(status, "account")
    return Post(
        platform="mastodon",
        native_id=uri,
        text=content or "",
        title=spoiler,
        created_at=created,
        url=optional_text(status, "url") or uri,
        author_handle=_acct(account),
        lang=optional_text(status, "language"),
        replies=count(status, "replies_count"),
        reposts=count(status, "reblogs_count"),
        likes=count(status, "favourites_count"),
        quotes=count(status, "quotes_count"),
        in_reply_to=optional_text(status, "in_reply_to_uri")
        or optional_text(status, "in_reply_to_id"),
        mentions=_mentions(status),
    )

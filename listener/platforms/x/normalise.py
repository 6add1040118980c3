"""X (Twitter) API v2: one tweet of ``GET /2/tweets/search/recent`` with the
expansions it references.

Item shape: ``{"tweet": <data[] element>, "includes": {"users": [...],
"places": [...], "tweets": [...]}}``, as ``listener.platforms.x.split`` cuts
a page: ``includes`` holds only the objects this tweet references (its author,
place and referenced tweets, and their authors).
"""

from __future__ import annotations

from typing import Any

from listener.normalise import NormaliseError
from listener.normalise.fields import count, mapping, optional_text, parse_time, text
from storage.records import Post


def _by_id(includes: dict[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    objects = includes.get(kind) or []
    if not isinstance(objects, list):
        raise NormaliseError(f"includes.{kind} is not a list")
    return {str(o["id"]): o for o in objects if isinstance(o, dict) and "id" in o}


def _referenced(refs: tuple[tuple[str, str], ...], kind: str) -> str | None:
    """The id of the first reference of ``kind`` among ``_references``."""
    return next((ref_id for ref_kind, ref_id in refs if ref_kind == kind), None)


def _references(tweet: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    """Every (type, id) of ``referenced_tweets`` (``Post.refs``), each once."""
    found = tweet.get("referenced_tweets")
    if not found or not isinstance(found, list):
        return ()
    return tuple(dict.fromkeys(
        (str(ref["type"]), str(ref["id"])) for ref in found
        if isinstance(ref, dict) and ref.get("type") and ref.get("id")))


def normalise(item: dict[str, Any]) -> Post:
    tweet = mapping(item, "tweet")
    includes = item.get("includes") or {}
    if not isinstance(includes, dict):
        raise NormaliseError("'includes' is not an object")
    tweet_id = text(tweet, "id")
    body = text(tweet, "text")
    created = parse_time(tweet.get("created_at"), "created_at")
    author_id = text(tweet, "author_id")
    author = _by_id(includes, "users").get(author_id)
    if author is None:
        raise NormaliseError(f"author {author_id} of tweet {tweet_id} missing from includes.users")
    username = text(author, "username")

    refs = _references(tweet)
    retweeted = _referenced(refs, "retweeted")
    if retweeted is not None:
        original = _by_id(includes, "tweets").get(retweeted)
        if original is not None and optional_text(original, "text"):
            body = str(original["text"])

    place = None
    geo = tweet.get("geo")
    if isinstance(geo, dict) and geo.get("place_id"):
        found = _by_id(includes, "places").get(str(geo["place_id"]))
        place = optional_text(found, "full_name") if found else None

    metrics = tweet.get("public_metrics")
    metrics = metrics if isinstance(metrics, dict) else None
    return Post(
        platform="x",
        native_id=tweet_id,
        text=body,
        created_at=created,
        url=f"https://x.com/{username}/status/{tweet_id}",
        author_handle=username,
        lang=optional_text(tweet, "lang"),
        replies=count(metrics, "reply_count"),
        reposts=count(metrics, "retweet_count"),
        likes=count(metrics, "like_count"),
        quotes=count(metrics, "quote_count"),
        place=place,
        in_reply_to=_referenced(refs, "replied_to"),
        thread_id=optional_text(tweet, "conversation_id"),
        refs=refs,
    )


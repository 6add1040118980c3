"""Data minimisation: keep only the payload fields the service uses.

Each platform has an allow-list of field paths (``a.b`` for nested objects,
``a[].b`` for each object of a list). The normaliser reads the full payload;
what is stored as the raw payload is the minimised copy, which still holds
everything the normaliser needs, so a fixed normaliser can re-derive a post
from it. Profile text, avatars, follower counts, display names, entities,
media and every other field are dropped before anything is written.

A platform without an allow-list (a new source type) keeps its payload
whole until one is written here; ``listener compliance`` says so.
"""

from __future__ import annotations

from typing import Any

_TWEET = ["id", "text", "created_at", "author_id", "lang", "geo.place_id",
          "referenced_tweets[].type", "referenced_tweets[].id",
          "public_metrics.reply_count", "public_metrics.retweet_count",
          "public_metrics.like_count", "public_metrics.quote_count"]

_STATUS = ["id", "uri", "url", "created_at", "content", "spoiler_text", "language",
           "in_reply_to_id", "replies_count", "reblogs_count", "favourites_count",
           "quotes_count", "account.acct", "account.url"]

_REDDIT = ["name", "id", "title", "selftext", "body", "created_utc", "permalink", "link_id",
           "subreddit", "author", "score", "num_comments", "parent_id"]

_POST_VIEW = ["uri", "indexedAt", "author.handle", "record.text", "record.createdAt",
              "record.langs", "record.reply.parent.uri", "replyCount", "repostCount",
              "likeCount", "quoteCount"]

# published_from marks a date the RSS source gave an undated entry (first seen);
# *_raw keep a date as the feed wrote it when feedparser could read it.
_ENTRY = ["id", "link", "title", "summary", "content[].value", "published", "updated",
          "published_raw", "updated_raw", "published_from", "author"]

_ROW = ["id", "text", "created_at", "author", "url", "platform", "lang", "title", "place",
        "in_reply_to", "likes", "replies", "reposts", "quotes"]

ALLOWED_FIELDS: dict[str, list[str]] = {
    "x": [f"tweet.{f}" for f in _TWEET] + [
        "includes.users[].id", "includes.users[].username",
        "includes.places[].id", "includes.places[].full_name",
        "includes.tweets[].id", "includes.tweets[].text",
    ],
    "reddit": ["kind"] + [f"data.{f}" for f in _REDDIT],
    "mastodon": _STATUS + [f"reblog.{f}" for f in _STATUS],
    "bluesky": _POST_VIEW,
    "rss": ["feed.title", "feed.link", "feed.id"] + [f"entry.{f}" for f in _ENTRY],
    "file": _ROW,
}

# What each kept field is for, in the words of the record of processing.
PURPOSE_OF_FIELDS = (
    "post id, text, title, time, language, reply/quote references and public "
    "engagement counts (for topic, sentiment and volume figures); the author's "
    "handle only long enough to compute the keyed pseudonym and the post's link "
    "(raw payloads expire after the raw retention period); place name where the "
    "platform attaches one"
)

Tree = dict[str, Any]


def _tree(paths: list[str]) -> Tree:
    root: Tree = {}
    for path in paths:
        node = root
        *parents, leaf = path.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node.setdefault(leaf, None)
    return root


_TREES = {platform: _tree(paths) for platform, paths in ALLOWED_FIELDS.items()}


def _keep(value: Any, spec: Tree | None) -> Any:
    if spec is None:
        return value
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, sub in spec.items():
            name, is_list = (key[:-2], True) if key.endswith("[]") else (key, False)
            if name not in value:
                continue
            child = value[name]
            if is_list and isinstance(child, list):
                out[name] = [_keep(el, sub) for el in child]
            else:
                out[name] = _keep(child, sub)
        return out
    if isinstance(value, list):
        return [_keep(el, spec) for el in value]
    return value  # an unexpected type is kept as it is, so a quarantine stays reproducible


def minimise(platform: str, payload: Any) -> Any:
    """The payload with only the allow-listed fields of ``platform``; a value
    of an unexpected type (in a malformed, quarantined item) is kept as is."""
    tree = _TREES.get(platform)
    if tree is None or not isinstance(payload, dict):
        return payload
    return _keep(payload, tree)


"""Sample pages shaped like X API v2 ``GET /2/tweets/search/recent``
responses (``data``, ``includes.users/places/tweets``, ``meta``), with the
expansions the X source asks for: every referenced tweet (retweeted or
replied to) in ``includes.tweets`` and its author in ``includes.users``."""

from __future__ import annotations

import re
from typing import Any

from listener.sample.ids import iso_z, metric, snowflake
from listener.sample.plan import PlannedPost

QUERIES = {
    "x:area": '"Ashby Marsh" OR #AshbyMarsh OR @ExampleCouncil',
    "x:services": '(bins OR potholes OR "council tax" OR library OR GP OR bus) place:"Ashby Marsh"',
}
PLACES = [
    {"id": "a1b2c3d4e5f60718", "full_name": "Ashby Marsh, England", "name": "Ashby Marsh"},
    {"id": "b2c3d4e5f6071829", "full_name": "Kettlewick, England", "name": "Kettlewick"},
    {"id": "c3d4e5f60718293a", "full_name": "Millbrook, England", "name": "Millbrook"},
]
_TAG = re.compile(r"#(\w+)")
_MENTION = re.compile(r"@(\w+)")


def _user(post: PlannedPost) -> dict[str, Any]:
    author = post.author
    return {"id": author.user_id, "name": author.handle.replace("_", " ").title(),
            "username": author.handle, "created_at": "2014-05-01T09:00:00.000Z",
            "protected": False, "verified": author.official}


def tweet(i: int, posts: list[PlannedPost]) -> dict[str, Any]:
    post = posts[i]
    tweet_id = snowflake(i, post.created)
    text = post.text
    obj: dict[str, Any] = {"id": tweet_id, "edit_history_tweet_ids": [tweet_id],
                           "author_id": post.author.user_id, "created_at": iso_z(post.created, i),
                           "conversation_id": tweet_id, "lang": post.lang,
                           "reply_settings": "everyone", "possibly_sensitive": False}
    if post.kind == "repost" and post.parent is not None:
        original = posts[post.parent]
        head = f"RT @{original.author.handle}: "
        text = head + (original.text if len(original.text) <= 140 else original.text[:139] + "…")
        obj["referenced_tweets"] = [{"type": "retweeted", "id": snowflake(post.parent,
                                                                            original.created)}]
    elif post.kind == "reply" and post.parent is not None:
        parent_id = snowflake(post.parent, posts[post.parent].created)
        obj["referenced_tweets"] = [{"type": "replied_to", "id": parent_id}]
        obj["in_reply_to_user_id"] = posts[post.parent].author.user_id
        obj["conversation_id"] = parent_id
    obj["text"] = text
    entities = {"hashtags": [{"start": m.start(), "end": m.end(), "tag": m.group(1)}
                             for m in _TAG.finditer(text)],
                "mentions": [{"start": m.start(), "end": m.end(), "username": m.group(1)}
                             for m in _MENTION.finditer(text)]}
    obj["entities"] = {k: v for k, v in entities.items() if v}
    if i % 5 == 0 and not post.author.official:
        obj["geo"] = {"place_id": PLACES[i % len(PLACES)]["id"]}
    obj["public_metrics"] = {"retweet_count": metric(i, 1, 30), "reply_count": metric(i, 2, 12),
                             "like_count": metric(i, 3, 150), "quote_count": metric(i, 4, 5)}
    if post.broken:
        del obj["created_at"]
    return obj


def page(entries: list[int], posts: list[PlannedPost], stream: str,
         next_token: str | None) -> dict[str, Any]:
    """A search/recent response for these posts, newest first."""
    data = [tweet(i, posts) for i in reversed(entries)]
    users: dict[str, dict[str, Any]] = {}
    referenced: dict[str, dict[str, Any]] = {}
    for i in reversed(entries):
        users.setdefault(posts[i].author.user_id, _user(posts[i]))
    for i in reversed(entries):
        parent = posts[i].parent
        if posts[i].kind in ("repost", "reply") and parent is not None:
            original = tweet(parent, posts)
            referenced[original["id"]] = original
            users.setdefault(posts[parent].author.user_id, _user(posts[parent]))
    place_ids = {t["geo"]["place_id"] for t in data if "geo" in t}
    includes: dict[str, Any] = {"users": list(users.values())}
    if place_ids:
        includes["places"] = [{**p, "place_type": "city", "country": "United Kingdom",
                               "country_code": "GB"} for p in PLACES if p["id"] in place_ids]
    if referenced:
        includes["tweets"] = list(referenced.values())
    meta: dict[str, Any] = {"newest_id": data[0]["id"], "oldest_id": data[-1]["id"],
                            "result_count": len(data)}
    if next_token:
        meta["next_token"] = next_token
    return {"data": data, "includes": includes, "meta": meta}

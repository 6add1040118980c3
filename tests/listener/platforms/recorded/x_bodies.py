"""X API v2 ``search/recent`` bodies in the real shape (field names, nesting,
meta and headers as X sends them), written for these tests."""

from __future__ import annotations

import time
from typing import Any

SEARCH_URL = "https://api.twitter.com/2/tweets/search/recent"


def user(uid: str, username: str) -> dict[str, Any]:
    return {"id": uid, "name": username.title(), "username": username}


def tweet(tid: str, text: str, author_id: str, *, created: str = "2026-11-20T09:15:00.000Z",
          likes: int = 0, place_id: str | None = None,
          refs: list[tuple[str, str]] | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": tid, "text": text, "author_id": author_id, "created_at": created,
        "conversation_id": tid, "lang": "en",
        "edit_history_tweet_ids": [tid],
        "public_metrics": {"retweet_count": 1, "reply_count": 2, "like_count": likes,
                           "quote_count": 0, "bookmark_count": 0, "impression_count": 40},
    }
    if place_id:
        body["geo"] = {"place_id": place_id}
    if refs:
        body["referenced_tweets"] = [{"type": kind, "id": rid} for kind, rid in refs]
    return body


def place(pid: str, full_name: str) -> dict[str, Any]:
    return {"id": pid, "full_name": full_name, "country_code": "GB"}


def page(tweets: list[dict[str, Any]], users: list[dict[str, Any]], *,
         places: list[dict[str, Any]] | None = None,
         referenced: list[dict[str, Any]] | None = None,
         next_token: str | None = None) -> dict[str, Any]:
    ids = [t["id"] for t in tweets if isinstance(t, dict) and "id" in t]
    meta: dict[str, Any] = {"result_count": len(tweets)}
    if ids:
        meta["newest_id"], meta["oldest_id"] = max(ids, key=int), min(ids, key=int)
    if next_token:
        meta["next_token"] = next_token
    includes: dict[str, Any] = {"users": users}
    if places:
        includes["places"] = places
    if referenced:
        includes["tweets"] = referenced
    body: dict[str, Any] = {"meta": meta}
    if tweets:
        body["data"], body["includes"] = tweets, includes
    return body


def empty_page() -> dict[str, Any]:
    return {"meta": {"result_count": 0}}


def rate_headers(remaining: int = 449, reset_in: int = 900) -> dict[str, str]:
    return {
        "x-rate-limit-limit": "450",
        "x-rate-limit-remaining": str(remaining),
        "x-rate-limit-reset": str(int(time.time()) + reset_in),
        "x-access-level": "read",
        "api-version": "2.52",
    }


UNAUTHORIZED = {"title": "Unauthorized", "type": "about:blank", "status": 401,
                "detail": "Unauthorized"}
TOO_MANY = {"title": "Too Many Requests", "detail": "Too Many Requests",
            "type": "about:blank", "status": 429}
SERVER_ERROR = {"title": "Service Unavailable", "detail": "Service Unavailable",
                "type": "about:blank", "status": 503}

"""Reddit through praw (read-only OAuth, praw's own rate limiter).

Per subreddit, either every new post (``r/<sub>/new``, what
``subreddit.new()`` reads) or, when the source has queries, a search per
query sorted by new (``r/<sub>/search?sort=new&restrict_sr=...``, what
``subreddit.search(q, sort="new")`` reads). The source calls those
endpoints through ``praw.Reddit.request`` rather than praw's listing
generators, for two reasons: the normaliser gets the Listing children
exactly as Reddit sent them (praw's models rewrite ``author``/``subreddit``
into objects), and each page's ``after`` token is known, so it can be
saved with the page.

Listings are newest first and stop at about 1,000 items, and Reddit's
``before`` parameter is unreliable (it returns nothing once the anchor post
is deleted). So each listing keeps, in the cursor:

- ``state:<listing>``: JSON ``{"since": created_utc, "seen": [names]}`` from
  the last completed pass: the newest creation time and the names of the
  newest items (durable seen-ids). A pass stops at the first page holding
  an item older than ``since`` or already seen; those items are not
  yielded again.
- ``pending:<listing>`` / ``after:<listing>``: while a pass paginates, the
  state it will promote and the page still to fetch. A killed pass resumes
  at ``after``; its last page promotes ``pending`` to ``state``.

If a pass reaches the end of a listing without meeting ``since``, more
than ~1,000 items arrived between runs and some were out of reach: a
warning says so (collect more often).

With ``include_comments``, each new post's top-level comments
(``comments/<id>?depth=1&sort=new``) are yielded as a page *before* the
page of posts that carries the cursor, so a kill can repeat a fetch but
never lose the comments.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from listener.platforms.reddit.client import build_reddit, classify_reddit, clear_error
from listener.platforms.reddit.config import RedditSourceConfig
from listener.platforms.reddit.split import split_listing
from listener.redact import register_secret_vars
from listener.sources.backoff import RetryPolicy, call_with_retry
from listener.sources.base import Page, RawItem
from listener.sources.client_logs import guard_loggers
from listener.sources.errors import SourceError, require_env

log = logging.getLogger(__name__)

OAUTH = "https://oauth.reddit.com/"
SEEN_LIMIT = 200


class RedditSource:
    platform = "reddit"

    def __init__(self, name: str, config: RedditSourceConfig) -> None:
        self.name, self.config = name, config
        register_secret_vars([config.client_id_env, config.client_secret_env])
        guard_loggers("prawcore", "praw")
        client_id = require_env(config.client_id_env, "client id", name)
        secret = require_env(config.client_secret_env, "client secret", name)
        self.reddit = build_reddit(config, client_id, secret)
        self.policy = RetryPolicy(max_attempts=config.max_attempts,
                                  max_wait_seconds=config.max_wait_seconds)
        self.sleep: Callable[[float], None] = time.sleep

    def listings(self) -> list[tuple[str, str, dict[str, Any]]]:
        """(cursor key, API path, parameters) of every listing this source reads."""
        out: list[tuple[str, str, dict[str, Any]]] = []
        for sub in self.config.subreddits:
            sub = sub.removeprefix("r/")
            if not self.config.queries:
                out.append((f"r/{sub} new", f"r/{sub}/new", {}))
            for query in self.config.queries:
                out.append((f"r/{sub} search {query}", f"r/{sub}/search/", {
                    "q": query, "sort": "new", "syntax": "lucene", "t": "all",
                    "restrict_sr": sub.lower() != "all"}))
        return out

    def _get(self, path: str, params: dict[str, Any]) -> Any:
        def call() -> Any:
            return self.reddit.request(method="GET", path=path, params=params)

        try:
            return call_with_retry(call, classify=classify_reddit, policy=self.policy,
                                   sleep=self.sleep, describe=f"Reddit {path}")
        except Exception as exc:
            clear = clear_error(exc, self.config, self.name, path)
            if clear is not None:
                raise clear from None
            raise

    def pages(self, cursor: Mapping[str, str]) -> Iterator[Page]:
        for key, path, params in self.listings():
            yield from self._listing_pages(key, path, params, cursor)

    def _listing_pages(self, key: str, path: str, base: dict[str, Any],
                       cursor: Mapping[str, str]) -> Iterator[Page]:
        state = json.loads(cursor.get(f"state:{key}") or "{}")
        pending = json.loads(cursor.get(f"pending:{key}") or "null")
        after = cursor.get(f"after:{key}") or None
        since, seen = state.get("since"), set(state.get("seen", []))
        while True:
            params = {**base, "limit": self.config.page_size}
            if after:
                params["after"] = after
            body = self._get(path, params)
            if not isinstance(body, dict) or not isinstance(body.get("data"), dict):
                raise SourceError(f"source {self.name!r}: {path} did not return a Listing")
            items = split_listing(body)
            fresh, reached = [], False
            for item in items:
                data = item.payload.get("data")
                data = data if isinstance(data, dict) else {}
                created = data.get("created_utc")
                if data.get("name") in seen or (
                        since is not None and isinstance(created, int | float) and created < since):
                    reached = True
                    continue
                fresh.append(item)
            if pending is None:
                pending = _state_of([i.payload for i in items]) or state or None
            after = body["data"].get("after") or None
            done = reached or not after or not items
            if done:
                if not reached and since is not None and items:
                    log.warning("source %s: %s ended before reaching the last collected item; "
                                "Reddit lists only ~1,000 items, some may be out of reach "
                                "(collect more often)", self.name, key)
                next_cursor = {f"state:{key}": json.dumps(pending or state),
                               f"pending:{key}": "", f"after:{key}": ""}
            else:
                next_cursor = {f"pending:{key}": json.dumps(pending), f"after:{key}": after or ""}
            if getattr(self.config, "include_comments", False):
                yield from self._comment_pages(key, fresh)
            request = {"endpoint": f"GET {OAUTH}{path}", **params}
            yield Page("reddit", fresh, query=key, cursor=next_cursor, request=request)
            if done:
                return

    def _comment_pages(self, key: str, posts: list[RawItem]) -> Iterator[Page]:
        for post in posts:
            data = post.payload.get("data")
            if post.payload.get("kind") != "t3" or not isinstance(data, dict) or not data.get("id"):
                continue
            path = f"comments/{data['id']}/"
            params = {"limit": self.config.comment_limit, "depth": 1, "sort": "new"}
            body = self._get(path, params)
            listing = body[1] if isinstance(body, list) and len(body) > 1 else {}
            comments = [c for c in split_listing(listing) if c.payload.get("kind") != "more"]
            if comments:
                yield Page("reddit", comments, query=f"{key} comments",
                           request={"endpoint": f"GET {OAUTH}{path}", **params})


def _name(child: Any) -> str | None:
    data = child.get("data") if isinstance(child, dict) else None
    return str(data["name"]) if isinstance(data, dict) and data.get("name") else None


def _state_of(children: list[Any]) -> dict[str, Any] | None:
    """The state a pass promotes: the newest creation time on its first page
    and the names on that page (at most SEEN_LIMIT)."""
    times = [c["data"]["created_utc"] for c in children
             if isinstance(c, dict) and isinstance(c.get("data"), dict)
             and isinstance(c["data"].get("created_utc"), int | float)]
    names = [n for n in (_name(c) for c in children) if n]
    if not times:
        return None
    return {"since": max(times), "seen": names[:SEEN_LIMIT]}

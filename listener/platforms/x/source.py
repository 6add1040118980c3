"""X (Twitter) API v2 recent search through tweepy.

One or more queries per source. Per query the cursor holds three keys:

- ``since_id:<query>``: the newest tweet id of the last *completed* pass;
  the next pass asks only for tweets after it.
- ``pending:<query>``: while a pass is paginating, the newest id it saw
  (``meta.newest_id`` of its first page).
- ``next_token:<query>``: while a pass is paginating, the token of the page
  still to fetch.

X returns newest first, so a pass walks backwards from "now" to
``since_id``. Saving the newest id as ``since_id`` after the first page
would lose the older pages if the process were killed mid-pass; never
saving it would refetch everything. So each page is stored together with
``pending`` and ``next_token`` (one transaction); a killed pass resumes at
``next_token`` with the same ``since_id``; the last page promotes
``pending`` to ``since_id`` and clears the other two. A kill loses nothing
and stores nothing twice (a page fetched but not stored is fetched again).
If X refuses a saved ``next_token`` (stale) the pass starts again from the
newest post; if it refuses ``since_id`` (older than recent search's 7-day
window) the pass takes what the window holds and logs the possible gap.

Reads: every tweet returned is counted in the ``usage`` table for this
calendar month as soon as X returns it (that is when X bills it). Before
each request the source checks the monthly budget; when it is spent the
run ends ``ok`` with a log line, and the pass resumes next month from its
saved cursor. A request asks for at most the reads left (X's minimum page
is 10, so a budget can be overrun by at most 9 reads).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Generator, Iterator, Mapping
from typing import Any

import tweepy

from listener.platforms.x.client import TimeoutSession, classify_x, usage_capped
from listener.platforms.x.config import XSourceConfig
from listener.platforms.x.split import split_page
from listener.redact import register_secret_vars
from listener.sources.backoff import RetryPolicy, call_with_retry
from listener.sources.base import Page
from listener.sources.client_logs import guard_loggers
from listener.sources.errors import SourceError, rejected, require_env
from storage import Store
from storage.timefmt import month_period
from storage.usage import Usage

log = logging.getLogger(__name__)

ENDPOINT = "GET https://api.twitter.com/2/tweets/search/recent"
EXPANSIONS = ["author_id", "geo.place_id", "referenced_tweets.id", "referenced_tweets.id.author_id"]
TWEET_FIELDS = ["created_at", "public_metrics", "lang", "conversation_id", "referenced_tweets",
                "geo", "author_id", "entities"]
USER_FIELDS = ["username"]
PLACE_FIELDS = ["full_name", "country_code"]


class XSource:
    platform = "x"

    def __init__(self, name: str, config: XSourceConfig) -> None:
        self.name, self.config = name, config
        register_secret_vars([config.bearer_token_env])
        guard_loggers("tweepy.client")
        token = require_env(config.bearer_token_env, "bearer token", name)
        self.client = tweepy.Client(bearer_token=token, return_type=dict,
                                    wait_on_rate_limit=False)
        self.client.session = TimeoutSession(config.timeout_seconds)
        self.policy = RetryPolicy(max_attempts=config.max_attempts,
                                  max_wait_seconds=config.max_wait_seconds)
        self.sleep: Callable[[float], None] = time.sleep
        self.usage: Usage | None = None

    def attach_store(self, store: Store) -> None:
        self.usage = store.usage

    def _reads_left(self) -> int:
        if self.usage is None:
            raise SourceError(f"source {self.name!r}: no usage counter attached; "
                              "the monthly read budget cannot be enforced")
        return self.config.monthly_read_budget - self.usage.reads_used(self.name, month_period())

    def _search(self, query: str, params: dict[str, Any]) -> dict[str, Any]:
        return self._call(lambda: self.client.search_recent_tweets(query, **params),
                          f"X search {query!r}")

    def _call(self, request: Callable[[], Any], describe: str) -> dict[str, Any]:
        """One X request through tweepy, retried on 429 and 5xx; a refused
        token or a spent monthly cap become plain errors."""
        def call() -> dict[str, Any]:
            body: dict[str, Any] = request()
            return body

        try:
            return call_with_retry(call, classify=classify_x, policy=self.policy,
                                   sleep=self.sleep, describe=describe)
        except (tweepy.Unauthorized, tweepy.Forbidden) as exc:
            raise rejected(self.config.bearer_token_env, "bearer token", self.name,
                           exc.response.status_code) from None
        except tweepy.TooManyRequests as exc:
            if usage_capped(exc):
                raise SourceError(f"source {self.name!r}: X says this app's monthly usage cap "
                                  "is exhausted (HTTP 429 UsageCapExceeded); collection "
                                  "resumes when X resets it or the plan changes") from None
            raise

    def pages(self, cursor: Mapping[str, str]) -> Iterator[Page]:
        for query in self.config.queries:
            if not (yield from self._query_pages(query, cursor)):
                return

    def _query_pages(self, query: str, cursor: Mapping[str, str]
                     ) -> Generator[Page, None, bool]:
        """Pages of one query; returns False when the read budget is spent."""
        return (yield from self._walk(
            query, cursor, lambda params: self._search(query, params), "next_token",
            {"endpoint": ENDPOINT, "query": query}))

    def _walk(self, key: str, cursor: Mapping[str, str],
              fetch: Callable[[dict[str, Any]], dict[str, Any]], token_param: str,
              request: dict[str, Any], *, addressed: bool = False
              ) -> Generator[Page, None, bool]:
        """Pages of one newest-first stream of tweets (a search, a user's
        timeline), from the newest down to the saved ``since_id`` (see the
        module docstring); returns False when the read budget is spent."""
        query = key
        since_id = cursor.get(f"since_id:{query}") or None
        pending = cursor.get(f"pending:{query}") or None
        token = cursor.get(f"next_token:{query}") or None
        while True:
            left = self._reads_left()
            if left <= 0:
                log.warning("source %s: monthly X read budget of %d is spent; collection "
                            "stops until next month", self.name, self.config.monthly_read_budget)
                return False
            params: dict[str, Any] = {
                "max_results": max(10, min(self.config.max_results, left)),
                "expansions": EXPANSIONS, "tweet_fields": TWEET_FIELDS,
                "user_fields": USER_FIELDS, "place_fields": PLACE_FIELDS,
            }
            if since_id:
                params["since_id"] = since_id
            if token:
                params[token_param] = token
            try:
                body = fetch(params)
            except tweepy.BadRequest:
                if token:  # next tokens go stale (e.g. across a budget pause)
                    log.warning("source %s: X refused the saved next_token for %r; starting "
                                "the pass again from the newest post", self.name, query)
                    token = pending = None
                    continue
                if since_id:  # recent search only reaches 7 days back
                    log.warning("source %s: X refused since_id %s for %r (older than the "
                                "search window); collecting what the window still holds: "
                                "posts in between may be missing", self.name, since_id, query)
                    since_id = None
                    continue
                raise
            items = split_page(body)
            assert self.usage is not None
            self.usage.add_reads(self.name, len(items), month_period())
            meta_value = body.get("meta")
            meta: dict[str, Any] = meta_value if isinstance(meta_value, dict) else {}
            pending = pending or (str(meta["newest_id"]) if meta.get("newest_id") else None)
            token = str(meta["next_token"]) if meta.get("next_token") else None
            if token:
                next_cursor = {f"pending:{query}": pending or "", f"next_token:{query}": token}
            else:
                next_cursor = {f"since_id:{query}": pending or since_id or "",
                               f"pending:{query}": "", f"next_token:{query}": ""}
            sent = {**request, **{k: v for k, v in params.items() if isinstance(v, str | int)}}
            yield Page("x", items, query=query, cursor=next_cursor, request=sent,
                       addressed=addressed)
            if not token:
                return True

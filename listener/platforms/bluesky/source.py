"""Bluesky: authenticated ``app.bsky.feed.searchPosts`` with atproto.

Search results are capped, so each query is collected over time slices of
``window_hours`` (``since`` inclusive, ``until`` exclusive, on the AppView's
``sortAt`` time), newest first within a slice (``sort=latest``), paging each
slice with its ``cursor``. The cursor saved with every page says how far the
query is done:

- ``<query>|done_until``: every slice before this time is fully collected;
- ``<query>|slice_until`` and ``<query>|page``: the slice in progress and the
  API cursor of its next page, so a killed run resumes inside the slice.

The next run starts at ``done_until``, so it asks only for what is new. The
first run starts ``backfill_hours`` back; the newest slice ends
``settle_minutes`` before now, so a post the AppView has not yet indexed is
not passed over.

Payloads are the ``posts[]`` objects exactly as sent (the raw JSON, not
atproto's models, which would reject a whole page for one malformed post).
Credentials: a handle and an app password from the environment.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from atproto import Client, models
from atproto_client.exceptions import (
    NetworkError,
    RateLimitExceededError,
    RequestErrorBase,
    RequestException,
    UnauthorizedError,
)
from atproto_client.request import Request

from listener.platforms.bluesky.config import BlueskySourceConfig
from listener.platforms.bluesky.split import split_posts
from listener.sources.backoff import Retry, RetryPolicy, call_with_retry, classify_http, server_now
from listener.sources.base import Page
from listener.sources.errors import SourceError, rejected, require_env

log = logging.getLogger(__name__)
NSID = "app.bsky.feed.searchPosts"


def stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_stamp(value: str | None) -> datetime | None:
    if not value:
        return None
    return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC)


class BlueskySource:
    platform = "bluesky"

    def __init__(self, name: str, config: BlueskySourceConfig) -> None:
        self.name = name
        self.config = config
        self.sleep: Callable[[float], None] = time.sleep
        self.clock: Callable[[], datetime] = lambda: datetime.now(UTC)
        self._handle = require_env(config.handle_env, "handle", name)
        self._password = require_env(config.app_password_env, "app password", name)
        self._client: Client | None = None

    def __repr__(self) -> str:  # never show the credentials
        return f"BlueskySource({self.name!r})"

    def pages(self, cursor: Mapping[str, str]) -> Iterator[Page]:
        client = self._login()
        now = self.clock().replace(microsecond=0) - timedelta(minutes=self.config.settle_minutes)
        for query in self.config.queries:
            yield from self._query(client, query, cursor, now)

    def _retry(self, fn: Callable[[], Any], describe: str) -> Any:
        return call_with_retry(
            fn, classify=_classify, sleep=self.sleep, describe=f"{self.name}: {describe}",
            policy=RetryPolicy(max_attempts=self.config.max_attempts,
                               max_wait_seconds=self.config.max_wait_seconds),
        )

    def _login(self) -> Client:
        if self._client is not None:
            return self._client
        client = Client(base_url=self.config.service_url,
                        request=Request(timeout=self.config.timeout_seconds))
        try:
            self._retry(lambda: client.login(self._handle, self._password,
                                             fetch_bsky_profile=False), "createSession")
        except UnauthorizedError as exc:
            status = exc.response.status_code if exc.response is not None else None
            raise rejected(f"{self.config.handle_env} and {self.config.app_password_env}",
                           "handle and app password", self.name, status) from None
        except RequestErrorBase as exc:
            raise SourceError(f"createSession failed: {_describe(exc)}") from exc
        self._client = client
        return client

    def _query(self, client: Client, query: str, cursor: Mapping[str, str],
               now: datetime) -> Iterator[Page]:
        start = parse_stamp(cursor.get(f"{query}|done_until")) or (
            now - timedelta(hours=self.config.backfill_hours))
        until = parse_stamp(cursor.get(f"{query}|slice_until"))
        page_cursor = cursor.get(f"{query}|page") or None
        pages = 0
        while start < now and pages < self.config.max_pages:
            if until is None or until <= start:  # a new slice
                until, page_cursor = min(start + timedelta(hours=self.config.window_hours),
                                         now), None
            params = models.AppBskyFeedSearchPosts.Params(
                q=query, sort="latest", since=stamp(start), until=stamp(until),
                limit=self.config.page_size, cursor=page_cursor)
            body = self._search(client, params)
            posts = body.get("posts")
            if not isinstance(posts, list):
                raise SourceError(f"searchPosts for {query!r} returned no 'posts' list")
            next_cursor = body.get("cursor")
            more = bool(posts) and isinstance(next_cursor, str) and bool(next_cursor)
            state = ({f"{query}|done_until": stamp(start), f"{query}|slice_until": stamp(until),
                      f"{query}|page": str(next_cursor)} if more else
                     {f"{query}|done_until": stamp(until), f"{query}|slice_until": "",
                      f"{query}|page": ""})
            pages += 1
            yield Page(
                platform=self.platform,
                items=split_posts(body),
                query=query, cursor=state,
                request={"endpoint": NSID, "q": query, "since": stamp(start),
                         "until": stamp(until), "cursor": page_cursor, "sort": "latest"},
            )
            if more:
                page_cursor = str(next_cursor)
            else:
                start, until, page_cursor = until, None, None
        if start < now:
            log.info("source %s: %r stopped at max_pages=%d; the next run continues from %s",
                     self.name, query, self.config.max_pages, stamp(start))

    def _search(self, client: Client, params: Any) -> dict[str, Any]:
        return self._invoke(client, NSID, params, f"searchPosts {params.q!r}")

    def _invoke(self, client: Client, nsid: str, params: Any, describe: str) -> dict[str, Any]:
        """One XRPC query, its JSON as sent, retried on 429, 5xx and transport
        errors; a refused session and other errors become plain ones."""
        def call() -> dict[str, Any]:
            response = client.invoke_query(nsid, params=params,
                                           output_encoding="application/json")
            if not isinstance(response.content, dict):
                raise SourceError(f"{nsid} did not return a JSON object")
            return response.content

        try:
            result: dict[str, Any] = self._retry(call, describe)
        except UnauthorizedError as exc:
            status = exc.response.status_code if exc.response is not None else None
            raise rejected(self.config.app_password_env or "the app password",
                           "app password session", self.name,
                           status) from None
        except RequestErrorBase as exc:
            raise SourceError(f"{describe} failed: {_describe(exc)}") from exc
        return result


def _describe(exc: RequestErrorBase) -> str:
    """What went wrong, in words: atproto's transport errors have empty messages."""
    if exc.response is None:
        cause = exc.__cause__ or exc.__context__
        return f"{type(exc).__name__} ({type(cause).__name__}: {cause})" if cause else \
            type(exc).__name__
    return f"{type(exc).__name__}: HTTP {exc}"


def _classify(exc: BaseException) -> Retry | None:
    """429 waits for ``ratelimit-reset`` (epoch seconds, measured on the
    server's Date clock); 5xx, 408 and transport errors are retried."""
    if not isinstance(exc, RequestErrorBase):
        return None
    response = exc.response
    if response is None:  # a transport failure or a timeout: no response at all
        return Retry(reason=type(exc).__name__) if isinstance(exc, NetworkError) else None
    headers = response.headers or {}
    if isinstance(exc, RateLimitExceededError | NetworkError | RequestException):
        return classify_http(response.status_code, headers,
                             server_now(headers, time.time()))
    return None

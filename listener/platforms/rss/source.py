"""RSS and Atom feeds: fetched with httpx, parsed with feedparser.

Each feed is fetched with a timeout and a conditional GET (``If-None-Match``
/ ``If-Modified-Since`` from the validators saved with the last complete
fetch): a 304 adds nothing and keeps the validators. The bytes are parsed by
feedparser; entries of a ``bozo`` (ill-formed) feed are kept when they parse,
and a document with no feed in it fails. Entries are deduplicated on their
id, then their link. A network error or an HTTP error fails the run with the
error stored (after bounded retries for 5xx, 408, 429 and connection
errors): it is never reported as an empty feed.

Paged feeds (RFC 5005 ``rel="next"``) are followed up to ``max_pages``
documents, stopping at the entry that was first in the feed at the last
complete walk. The cursor saved with each page holds the next document to
fetch, so a killed walk resumes where it stopped; the validators and that
first entry are saved only when the walk completes.

An entry with no date at all (RSS makes ``pubDate`` optional) is dated by
when the source first saw it, remembered in the cursor so it never moves.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime
from typing import Any

import feedparser
import httpx

from listener.platforms.rss.config import RssSourceConfig
from listener.platforms.rss.split import FeedDocument, entry_key, split_feed
from listener.sources.backoff import Retry, RetryPolicy, call_with_retry, classify_http, server_now
from listener.sources.base import Page
from listener.sources.errors import SourceError

log = logging.getLogger(__name__)
FIRST_SEEN_KEPT = 500  # undated entries remembered per feed (far more than a feed holds)


def _next_link(feed: Mapping[str, Any]) -> str | None:
    for link in feed.get("links", []) or []:
        if link.get("rel") == "next" and link.get("href"):
            return str(link["href"])
    return None


class RssSource:
    platform = "rss"

    def __init__(self, name: str, config: RssSourceConfig) -> None:
        self.name = name
        self.config = config
        self.sleep: Callable[[float], None] = time.sleep
        self.clock: Callable[[], datetime] = lambda: datetime.now(UTC)

    def pages(self, cursor: Mapping[str, str]) -> Iterator[Page]:
        failures: list[str] = []
        with httpx.Client(timeout=self.config.timeout_seconds, follow_redirects=True,
                          headers={"User-Agent": self.config.user_agent}) as client:
            for url in self.config.feeds:
                try:
                    yield from self._feed(client, url, cursor)
                except Exception as exc:  # one broken feed must not hide the others
                    failures.append(f"{url}: {_describe(exc)}")
                    log.warning("source %s: %s", self.name, failures[-1])
        if failures:
            raise SourceError(f"source {self.name!r}: {len(failures)} feed(s) failed: "
                              + "; ".join(failures))

    def _feed(self, client: httpx.Client, url: str, cursor: Mapping[str, str]) -> Iterator[Page]:
        resume = cursor.get(f"{url}|next") or None
        walk = {k: cursor.get(f"{url}|walk_{k}", "") for k in ("etag", "modified", "top")}
        stop_at = cursor.get(f"{url}|top") or None
        first_seen: dict[str, str] = json.loads(cursor.get(f"{url}|first_seen") or "{}")
        target = resume or url
        for number in range(self.config.max_pages):
            headers = {}
            if number == 0 and resume is None:
                if cursor.get(f"{url}|etag"):
                    headers["If-None-Match"] = cursor[f"{url}|etag"]
                if cursor.get(f"{url}|modified"):
                    headers["If-Modified-Since"] = cursor[f"{url}|modified"]
            response = self._get(client, target, headers)
            if response.status_code == 304:
                log.info("source %s: %s not modified", self.name, url)
                return
            parsed = feedparser.parse(response.content, response_headers={
                "content-type": response.headers.get("content-type", ""),
                "content-location": str(response.url)})
            self._check(parsed, target)
            items = split_feed(FeedDocument(url, parsed))
            payloads = [item.payload["entry"] for item in items]
            if number == 0 and resume is None:
                walk = {"etag": response.headers.get("etag", ""),
                        "modified": response.headers.get("last-modified", ""),
                        "top": (entry_key(payloads[0]) if payloads else None) or ""}
            reached = stop_at is not None and any(entry_key(e) == stop_at for e in payloads)
            follow = _next_link(parsed.feed)
            more = follow is not None and not reached and number + 1 < self.config.max_pages
            state = ({f"{url}|next": str(follow)} | {f"{url}|walk_{k}": v for k, v in walk.items()}
                     if more else
                     {f"{url}|next": "", f"{url}|etag": walk["etag"],
                      f"{url}|modified": walk["modified"], f"{url}|top": walk["top"]}
                     | {f"{url}|walk_{k}": "" for k in walk})
            if self._date_undated(payloads, first_seen):
                state[f"{url}|first_seen"] = json.dumps(
                    dict(list(first_seen.items())[-FIRST_SEEN_KEPT:]), separators=(",", ":"))
            yield Page(
                platform=self.platform,
                items=items,
                query=url, cursor=state,
                request={"url": target, "status": response.status_code,
                         "conditional": sorted(headers), "bozo": bool(parsed.get("bozo"))},
            )
            if not more:
                return
            target = str(follow)

    def _date_undated(self, payloads: list[dict[str, Any]], first_seen: dict[str, str]) -> bool:
        """RSS makes ``pubDate`` optional. An entry with no date at all is
        dated by when this source first saw it (``published_from:
        first_seen``), remembered in the cursor so that every later fetch
        gives it the same date. Returns whether the memory changed."""
        changed = False
        for payload in payloads:
            key = entry_key(payload)
            if key is None or payload.get("published") or payload.get("updated"):
                continue
            if key not in first_seen:
                first_seen[key] = self.clock().astimezone(UTC).isoformat(timespec="seconds")
                changed = True
            payload["published"] = first_seen[key]
            payload["published_from"] = "first_seen"
        return changed

    def _check(self, parsed: Any, target: str) -> None:
        """A document with no feed in it fails; an ill-formed one keeps the
        entries that parsed."""
        if parsed.get("bozo"):
            problem = parsed.get("bozo_exception")
            if not parsed.entries and not parsed.feed:
                raise SourceError(f"{target} is not a feed: {problem}")
            log.warning("source %s: %s is ill-formed (%s); keeping the %d entries that parsed",
                        self.name, target, problem, len(parsed.entries))

    def _get(self, client: httpx.Client, target: str, headers: dict[str, str]) -> httpx.Response:
        def call() -> httpx.Response:
            response = client.get(target, headers=headers)
            if response.status_code >= 400:
                response.raise_for_status()
            return response

        response: httpx.Response = call_with_retry(
            call, classify=_classify, sleep=self.sleep, describe=f"{self.name}: GET {target}",
            policy=RetryPolicy(max_attempts=self.config.max_attempts,
                               max_wait_seconds=self.config.max_wait_seconds),
        )
        return response


def _describe(exc: BaseException) -> str:
    if isinstance(exc, httpx.HTTPStatusError):
        return f"HTTP {exc.response.status_code} {exc.response.reason_phrase}"
    return f"{type(exc).__name__}: {exc}"


def _classify(exc: BaseException) -> Retry | None:
    if isinstance(exc, httpx.HTTPStatusError):
        headers = exc.response.headers
        return classify_http(exc.response.status_code, headers, server_now(headers, time.time()))
    if isinstance(exc, httpx.TransportError):  # timeouts, refused and reset connections
        return Retry(reason=type(exc).__name__)
    return None

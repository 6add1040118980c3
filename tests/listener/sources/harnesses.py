"""Every live source behind one test harness for the source contract.

Each harness builds its source through the real client library (tweepy,
praw, Mastodon.py, atproto, httpx) and serves its main endpoint from a
queue of recorded answers in the platform's real payload shape (the bodies
and builders of ``tests.listener.platforms.recorded``): ``responses`` for the
requests-based clients, ``respx`` for the httpx-based ones. Answers are
served in order; every one must be used.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import requests
import responses
import respx

from listener.platforms.bluesky.config import BlueskySourceConfig
from listener.platforms.bluesky.source import BlueskySource
from listener.platforms.mastodon.config import MastodonSourceConfig
from listener.platforms.mastodon.source import MastodonSource
from listener.platforms.reddit.config import RedditSourceConfig
from listener.platforms.reddit.source import RedditSource
from listener.platforms.rss.config import RssSourceConfig
from listener.platforms.rss.source import RssSource
from listener.platforms.x.config import XSourceConfig
from listener.platforms.x.source import XSource
from tests.listener.platforms.recorded import reddit_bodies as reddit
from tests.listener.platforms.recorded import x_bodies as x
from tests.listener.platforms.recorded.builders import (
    bluesky_headers,
    bluesky_post,
    bluesky_session,
    load,
    mastodon_headers,
    mastodon_status,
    rss_feed,
    rss_item,
)

NOW = datetime(2026, 11, 25, 12, 0, 0, tzinfo=UTC)
Answer = tuple[int, dict[str, str], Any] | Exception  # status, headers, body (JSON or text)


@dataclass
class Replay:
    """The recorded answers of the main endpoint, and what was asked."""

    answers: list[Answer] = field(default_factory=list)
    timeouts: list[Any] = field(default_factory=list)

    def next(self, timeout: Any) -> Answer:
        self.timeouts.append(timeout)
        assert self.answers, "a request beyond the recorded exchanges"
        return self.answers.pop(0)


@dataclass
class Harness:
    platform: str
    credential: str | None  # the variable a rejected credential must be named by
    secret: str | None  # its value, which must appear nowhere
    make: Callable[..., Any]  # (**config overrides) -> the source, its waits recorded
    page: Callable[[bool], Any]  # a page of two good items (and one malformed one)
    rate_limited: Callable[[int], Answer]  # a 429 asking to wait this many seconds
    server_error: Callable[[int], Answer]
    timeout: Callable[[], Exception]
    serve: Callable[[Replay, bool], Any]  # a context serving the replay (credential rejected?)
    rejected: Answer | None = None  # the main endpoint's answer to a rejected credential
    then: list[Answer] = field(default_factory=list)  # what a walk asks after a page

    def ok(self, malformed: bool = False) -> list[Answer]:
        body = self.page(malformed)
        return [(200, {}, body), *self.then]


def _requests_answer(replay: Replay, request: Any) -> Any:
    answer = replay.next(request.req_kwargs.get("timeout"))
    if isinstance(answer, Exception):
        return answer
    status, headers, body = answer
    text = body if isinstance(body, str) else json.dumps(body)
    return status, {"content-type": "application/json", **headers}, text


@contextmanager
def _responses(url: str, replay: Replay, extra: Callable[[responses.RequestsMock], None]
               ) -> Iterator[None]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        extra(mock)
        mock.add_callback(responses.GET, url, callback=lambda r: _requests_answer(replay, r))
        yield


def _maker(source_cls: Any, config_cls: Any, base: dict[str, Any]) -> Callable[..., Any]:
    """``make(waits, **overrides)``: the source, its waits recorded, its clock at NOW."""
    def make(waits: list[float], **overrides: Any) -> Any:
        source = source_cls("contract", config_cls.model_validate({**base, **overrides}))
        source.sleep = waits.append
        if hasattr(source, "clock"):
            source.clock = lambda: NOW
        return source

    return make


def _httpx_answer(replay: Replay, request: httpx.Request) -> httpx.Response:
    answer = replay.next(request.extensions.get("timeout", {}).get("read"))
    if isinstance(answer, Exception):
        raise answer
    status, headers, body = answer
    if isinstance(body, str):
        return httpx.Response(status, text=body, headers=headers)
    return httpx.Response(status, json=body, headers=headers)


# -- X ------------------------------------------------------------------------

X_TOKEN = "test-bearer-AAAAAAAAAAAAAAAAAAAAAMLheAAAAAAA0"


def _x_page(malformed: bool) -> Any:
    tweets = [x.tweet("1860000000000000002", "Bins missed on Elm Road", "11"),
              x.tweet("1860000000000000001", "Pothole on Mill Lane", "12")]
    if malformed:
        tweets.insert(1, {"id": "1860000000000000003", "text": "no time", "author_id": "11"})
    return x.page(tweets, [x.user("11", "resident_a"), x.user("12", "resident_b")])


def _x_serve(replay: Replay, reject: bool) -> Any:
    return _responses(x.SEARCH_URL, replay, lambda mock: None)


X = Harness(
    platform="x", credential="X_BEARER_TOKEN", secret=X_TOKEN,
    make=_maker(XSource, XSourceConfig, {"type": "x", "queries": ["bins lang:en"]}), page=_x_page,
    rate_limited=lambda wait: (429, x.rate_headers(0, reset_in=wait), x.TOO_MANY),
    server_error=lambda status: (status, {}, x.SERVER_ERROR),
    timeout=lambda: requests.exceptions.ReadTimeout("read timed out"),
    serve=_x_serve, rejected=(401, {}, x.UNAUTHORIZED))

# -- Reddit -------------------------------------------------------------------

REDDIT_SECRET = "test-client-secret-0c1d"
T0 = 1763900000.0


def _reddit_page(malformed: bool) -> Any:
    children = [reddit.submission("1p0c5a", "Bins missed on Elm Road", T0 + 50),
                reddit.submission("1p0b9z", "Pothole on Mill Lane", T0 + 40)]
    if malformed:
        broken = reddit.submission("1p0bad", "no time", T0 + 45)
        del broken["data"]["created_utc"]
        children.insert(1, broken)
    return reddit.listing(children)


def _reddit_serve(replay: Replay, reject: bool) -> Any:
    token: dict[str, Any] = (
        {"status": 401, "json": {"message": "Unauthorized", "error": 401}} if reject
        else {"json": reddit.token_body()})
    return _responses(f"{reddit.OAUTH}/r/Leeds/new", replay,
                      lambda mock: mock.post(reddit.TOKEN_URL, **token))


REDDIT = Harness(
    platform="reddit", credential="REDDIT_CLIENT_ID/REDDIT_CLIENT_SECRET", secret=REDDIT_SECRET,
    make=_maker(RedditSource, RedditSourceConfig, {"type": "reddit", "subreddits": ["Leeds"]}),
    page=_reddit_page,
    rate_limited=lambda wait: (429, reddit.rate_headers(0.0, 600, reset=wait),
                               {"message": "Too Many Requests", "error": 429}),
    server_error=lambda status: (status, {"content-type": "text/html"}, "<html>upstream</html>"),
    timeout=lambda: requests.exceptions.ReadTimeout("read timed out"),
    serve=_reddit_serve)

# -- Mastodon -----------------------------------------------------------------

MASTO_TOKEN = "mastodon-token-SHOULD-NEVER-LEAK-1234"
MASTO_HOST = "mastodon.social"


def _masto_page(malformed: bool) -> Any:
    statuses = [mastodon_status(2002, 2), mastodon_status(2001, 1)]
    if malformed:
        bad = mastodon_status(2003, 3)
        bad["created_at"] = "yesterday-ish"
        statuses.insert(1, bad)
    return statuses


def _masto_serve(replay: Replay, reject: bool) -> Any:
    def instance(mock: responses.RequestsMock) -> None:
        body = load("mastodon_instance_v2.json")
        mock.get(f"https://{MASTO_HOST}/api/v2/instance/", json=body,
                 headers=mastodon_headers(MASTO_HOST))

    return _responses(f"https://{MASTO_HOST}/api/v1/timelines/tag/potholes", replay, instance)


def _masto_429(wait: int) -> Answer:
    server = NOW + timedelta(hours=3)  # the server's clock, not ours
    return (429, mastodon_headers(MASTO_HOST, date=server, remaining=0,
                                  reset=server + timedelta(seconds=wait)),
            {"error": "Too many requests"})


MASTODON = Harness(
    platform="mastodon", credential="MASTO_TOKEN", secret=MASTO_TOKEN,
    make=_maker(MastodonSource, MastodonSourceConfig, {
        "type": "mastodon", "instances": [MASTO_HOST], "hashtags": ["potholes"],
        "backfill_hours": 0, "access_tokens": {MASTO_HOST: "MASTO_TOKEN"}}),
    page=_masto_page, rate_limited=_masto_429,
    server_error=lambda status: (status, {"content-type": "text/html"}, "<html>sorry</html>"),
    timeout=lambda: requests.exceptions.ReadTimeout("read timed out"),
    serve=_masto_serve, rejected=(401, {}, {"error": "The access token is invalid"}),
    then=[(200, mastodon_headers(MASTO_HOST), [])])  # the walk ends on an empty page

# -- Bluesky ------------------------------------------------------------------

BSKY_PASSWORD = "abcd-efgh-ijkl-mnop"
BSKY_LOGIN = "https://bsky.social/xrpc/com.atproto.server.createSession"
BSKY_SEARCH = "https://porcini.us-east.host.bsky.network/xrpc/app.bsky.feed.searchPosts"


def _bsky_page(malformed: bool) -> Any:
    posts = [bluesky_post(2), bluesky_post(1)]
    if malformed:
        bad = bluesky_post(3)
        del bad["author"]
        posts.insert(1, bad)
    return {"posts": posts}


@contextmanager
def _bsky_serve(replay: Replay, reject: bool) -> Iterator[None]:
    login = httpx.Response(401, json={"error": "AuthenticationRequired",
                                      "message": "Invalid identifier or password"},
                           headers=bluesky_headers()) if reject else \
        httpx.Response(200, json=bluesky_session(), headers=bluesky_headers())
    with respx.mock(assert_all_mocked=True, assert_all_called=False) as router:
        router.post(BSKY_LOGIN).mock(return_value=login)
        router.get(BSKY_SEARCH).mock(side_effect=lambda r: _httpx_answer(replay, r))
        yield


def _bsky_429(wait: int) -> Answer:
    server = NOW - timedelta(days=2)
    return (429, bluesky_headers(remaining=0, date=server,
                                 reset=int(server.timestamp()) + wait),
            {"error": "RateLimitExceeded", "message": "Rate Limit Exceeded"})


BLUESKY = Harness(
    platform="bluesky", credential="BLUESKY_APP_PASSWORD", secret=BSKY_PASSWORD,
    make=_maker(BlueskySource, BlueskySourceConfig, {
        "type": "bluesky", "queries": ["bus"], "window_hours": 6, "backfill_hours": 6,
        "settle_minutes": 0}),
    page=_bsky_page, rate_limited=_bsky_429,
    server_error=lambda status: (status, bluesky_headers(),
                                 {"error": "InternalServerError", "message": "Internal"}),
    timeout=lambda: httpx.ReadTimeout("timed out"), serve=_bsky_serve)

# -- RSS ------------------------------------------------------------------------

FEED = "https://www.example.gov.uk/news.rss"


def _rss_page(malformed: bool) -> Any:
    items = [rss_item(2), rss_item(1)]
    if malformed:
        items.insert(1, rss_item(3, title="", description="", pub="the day before yesterday"))
    return rss_feed(items)


@contextmanager
def _rss_serve(replay: Replay, reject: bool) -> Iterator[None]:
    with respx.mock(assert_all_mocked=True) as router:
        router.get(FEED).mock(side_effect=lambda r: _httpx_answer(replay, r))
        yield


RSS = Harness(
    platform="rss", credential=None, secret=None,
    make=_maker(RssSource, RssSourceConfig, {"type": "rss", "feeds": [FEED]}), page=_rss_page,
    rate_limited=lambda wait: (429, {"Retry-After": str(wait)}, "slow down"),
    server_error=lambda status: (status, {}, "oops"),
    timeout=lambda: httpx.ReadTimeout("timed out"), serve=_rss_serve,
    rejected=(401, {"WWW-Authenticate": 'Basic realm="news"'}, "login first"))

HARNESSES = [X, REDDIT, MASTODON, BLUESKY, RSS]


def credentials(monkeypatch: Any) -> None:
    """Every live source's credentials, set to recognisable values."""
    monkeypatch.setenv("X_BEARER_TOKEN", X_TOKEN)
    monkeypatch.setenv("REDDIT_CLIENT_ID", "test-client-id-7731")
    monkeypatch.setenv("REDDIT_CLIENT_SECRET", REDDIT_SECRET)
    monkeypatch.setenv("MASTO_TOKEN", MASTO_TOKEN)
    monkeypatch.setenv("BLUESKY_HANDLE", "collector.example.bsky.social")
    monkeypatch.setenv("BLUESKY_APP_PASSWORD", BSKY_PASSWORD)


def no_real_sleep(monkeypatch: Any) -> list[float]:
    """prawcore waits with ``time.sleep`` (its retries and rate limiter): record it."""
    slept: list[float] = []
    monkeypatch.setattr(time, "sleep", slept.append)
    return slept

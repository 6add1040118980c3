"""The body's own news feed through httpx and feedparser against a local
HTTP server: every entry is the body's own post whatever its byline; first
and incremental (conditional) runs; a rate limit. A feed has no replies, so
there is no thread to link or parent to lose."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytest_httpserver import HTTPServer

from listener.pipeline import collect_source
from listener.platforms.rss.config import RssOwnConfig
from listener.platforms.rss.own import RssOwnSource
from storage import Store
from tests.listener.engagement.helpers import PSEUDO, conversation
from tests.listener.platforms.recorded.builders import rss_feed, rss_item

RSS = "application/rss+xml; charset=utf-8"
ETAG = '"5f3a-19c2b7e1"'


@pytest.fixture
def server(httpserver: HTTPServer) -> Iterator[HTTPServer]:
    yield httpserver
    httpserver.check_assertions()
    assert httpserver.ordered_handlers == [], "recorded exchanges left unplayed"


def source(url: str) -> tuple[RssOwnSource, list[float]]:
    src = RssOwnSource("own:rss", RssOwnConfig(type="rss", enabled=True, feeds=[url],
                                               account="Example Council"))
    waits: list[float] = []
    src.sleep = waits.append
    return src, waits


def test_entries_are_the_bodys_own_then_a_304_adds_nothing(store: Store,
        server: HTTPServer) -> None:
    url = server.url_for("/news.rss")
    server.expect_ordered_request("/news.rss").respond_with_data(
        rss_feed([rss_item(2), rss_item(1)]), content_type=RSS, headers={"ETag": ETAG})
    src, _ = source(url)
    summary = collect_source(store, "own:rss", src, PSEUDO)
    assert (summary.status, summary.new) == ("ok", 2)
    got = conversation(store)
    # the entries' byline is "Press Office"; the body published them
    assert {r["voice"] for r in got.values()} == {"own"}
    assert {r["handle"] for r in got.values()} == {"Example Council"}
    server.expect_ordered_request("/news.rss", headers={"If-None-Match": ETAG}) \
        .respond_with_data("", status=304, headers={"ETag": ETAG})
    summary = collect_source(store, "own:rss", src, PSEUDO)
    assert (summary.status, summary.pages, summary.new) == ("ok", 0, 0)


def test_a_rate_limited_feed_is_fetched_after_the_wait(store: Store,
        server: HTTPServer) -> None:
    url = server.url_for("/news.rss")
    server.expect_ordered_request("/news.rss").respond_with_data(
        "slow down", status=429, headers={"Retry-After": "30"})
    server.expect_ordered_request("/news.rss").respond_with_data(
        rss_feed([rss_item(3)]), content_type=RSS)
    src, waits = source(url)
    summary = collect_source(store, "own:rss", src, PSEUDO)
    assert (summary.status, summary.new) == ("ok", 1)
    assert len(waits) == 1 and 30 <= waits[0] <= 40

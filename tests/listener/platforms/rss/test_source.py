"""RSS/Atom through httpx and feedparser against a local HTTP server."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from listener.pipeline import collect_source
from listener.platforms.rss.config import RssSourceConfig
from listener.platforms.rss.source import RssSource
from listener.privacy.pseudonym import Pseudonymiser
from storage import Store
from tests.listener.platforms.recorded.builders import atom_feed, rss_feed, rss_item

RSS = "application/rss+xml; charset=utf-8"
ATOM = "application/atom+xml; charset=utf-8"
ETAG = '"5f3a-19c2b7e1"'
MODIFIED = "Wed, 25 Nov 2026 12:00:00 GMT"


@pytest.fixture
def server(httpserver: HTTPServer) -> Iterator[HTTPServer]:
    yield httpserver
    httpserver.check_assertions()
    assert httpserver.ordered_handlers == [], "recorded exchanges left unplayed"


def make_source(*feeds: str, **overrides: Any) -> tuple[RssSource, list[float]]:
    settings: dict[str, Any] = {"type": "rss", "feeds": list(feeds)}
    settings.update(overrides)
    source = RssSource("news", RssSourceConfig(**settings))
    waits: list[float] = []
    source.sleep = waits.append
    return source, waits


def collect(store: Store, source: RssSource):
    return collect_source(store, "news", source, Pseudonymiser(b"k" * 32))


def count(store: Store, table: str = "posts") -> int:
    return int(store.db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])


def test_first_run_stores_entries_once_then_a_304_adds_nothing_and_keeps_validators(
        store: Store, server: HTTPServer) -> None:
    url = server.url_for("/news.rss")
    body = rss_feed([rss_item(3), rss_item(2), rss_item(2), rss_item(1)])  # 2 repeated
    server.expect_ordered_request("/news.rss").respond_with_data(
        body, content_type=RSS, headers={"ETag": ETAG, "Last-Modified": MODIFIED})
    source, _ = make_source(url)
    summary = collect(store, source)
    assert (summary.status, summary.new, summary.fetched) == ("ok", 3, 3)
    cursor = store.collect.cursor("news")
    assert cursor[f"{url}|etag"] == ETAG and cursor[f"{url}|modified"] == MODIFIED
    created = store.db.execute("SELECT created_at FROM posts ORDER BY created_at").fetchall()
    assert created[0][0].startswith("2026-11-25T01:00:00")
    raw = json.loads(store.db.execute("SELECT payload FROM raw_payloads LIMIT 1").fetchone()[0])
    assert raw["entry"]["published"].startswith("2026-11-25T0")
    assert "published_parsed" not in raw["entry"]

    server.expect_ordered_request(
        "/news.rss", headers={"If-None-Match": ETAG, "If-Modified-Since": MODIFIED},
    ).respond_with_data("", status=304, headers={"ETag": ETAG})
    summary = collect(store, source)
    assert (summary.status, summary.pages, summary.new) == ("ok", 0, 0)
    assert store.collect.cursor("news") == cursor  # the validators are kept
    assert count(store) == 3


def test_a_changed_feed_after_the_validators_adds_only_new_entries(
        store: Store, server: HTTPServer) -> None:
    url = server.url_for("/news.rss")
    server.expect_ordered_request("/news.rss").respond_with_data(
        rss_feed([rss_item(2), rss_item(1)]), content_type=RSS, headers={"ETag": ETAG})
    server.expect_ordered_request("/news.rss", headers={"If-None-Match": ETAG}) \
        .respond_with_data(rss_feed([rss_item(3), rss_item(2)]), content_type=RSS,
                           headers={"ETag": '"v2"'})
    source, _ = make_source(url)
    collect(store, source)
    summary = collect(store, source)
    assert (summary.new, summary.duplicates) == (1, 1)
    assert store.collect.cursor("news")[f"{url}|etag"] == '"v2"'


def test_a_paged_feed_is_walked_and_the_next_run_stops_at_what_it_has(
        store: Store, server: HTTPServer) -> None:
    url = server.url_for("/planning.atom")
    page2, page3 = server.url_for("/planning.atom?page=2"), server.url_for("/planning.atom?page=3")
    server.expect_ordered_request("/planning.atom", query_string="").respond_with_data(
        atom_feed([9, 8, 7], next_href=page2), content_type=ATOM, headers={"ETag": ETAG})
    # entry 7 is on pages 1 and 2 (the feed moved between requests): stored once
    server.expect_ordered_request("/planning.atom", query_string="page=2").respond_with_data(
        atom_feed([7, 6, 5], next_href=page3), content_type=ATOM)
    server.expect_ordered_request("/planning.atom", query_string="page=3").respond_with_data(
        atom_feed([4, 3]), content_type=ATOM)
    source, _ = make_source(url, max_pages=10)
    summary = collect(store, source)
    assert (summary.status, summary.pages, summary.new, summary.duplicates) == ("ok", 3, 7, 1)
    assert store.collect.cursor("news")[f"{url}|top"] == "tag:example.gov.uk,2026:planning-9"

    server.expect_ordered_request("/planning.atom", query_string="",
                                  headers={"If-None-Match": ETAG}).respond_with_data(
        atom_feed([11, 10, 9, 8], next_href=page2), content_type=ATOM, headers={"ETag": '"v2"'})
    summary = collect(store, source)  # page 2 is not fetched: entry 9 was the old top
    assert (summary.pages, summary.new, summary.duplicates) == (1, 2, 2)


def test_entries_of_an_ill_formed_feed_are_kept_when_they_parse(
        store: Store, server: HTTPServer) -> None:
    broken = rss_feed([rss_item(2), rss_item(1)]).replace(
        "Road closure notice 1", "Road closure notice 1 & more")[:-len("</channel></rss>")]
    server.expect_ordered_request("/news.rss").respond_with_data(broken, content_type=RSS)
    source, _ = make_source(server.url_for("/news.rss"))
    summary = collect(store, source)
    assert (summary.status, summary.new, summary.quarantined) == ("ok", 2, 0)
    titles = {r[0] for r in store.db.execute("SELECT title FROM posts")}
    assert titles == {"Road closure notice 2", "Road closure notice 1 & more"}
    request = store.db.execute("SELECT request FROM raw_payloads").fetchone()[0]
    assert json.loads(request)["bozo"] is True


def test_a_document_that_is_not_a_feed_fails_the_run(store: Store, server: HTTPServer) -> None:
    server.expect_ordered_request("/news.rss").respond_with_data(
        "<html><body><h1>Welcome<p>unclosed", content_type="text/html")
    source, _ = make_source(server.url_for("/news.rss"))
    summary = collect(store, source)
    assert summary.status == "failed" and "not a feed" in (summary.error or "")


def test_a_timeout_is_retried_a_bounded_number_of_times_then_fails(
        store: Store, server: HTTPServer) -> None:
    release = threading.Event()

    def hang(request: Request) -> Response:
        release.wait(5)
        return Response("late", status=200)

    # one permanent handler: the test server is single-threaded, so while the
    # first request hangs the retry may wait in the listen queue, unseen
    server.expect_request("/news.rss").respond_with_handler(hang)
    source, waits = make_source(server.url_for("/news.rss"), timeout_seconds=0.2,
                                max_attempts=2)
    try:
        summary = collect(store, source)
    finally:
        release.set()
    assert summary.status == "failed" and "ReadTimeout" in (summary.error or "")
    assert len(waits) == 1


def test_a_network_error_is_a_failed_run_never_an_empty_feed(store: Store) -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    source, waits = make_source(f"http://127.0.0.1:{port}/news.rss", max_attempts=3)
    summary = collect(store, source)
    assert summary.status == "failed" and "ConnectError" in (summary.error or "")
    assert len(waits) == 2
    run = store.runs.recent("news")[0]
    assert (run.status, run.new) == ("failed", 0) and run.error
    assert store.runs.last("news", status="ok") is None


def test_a_404_is_not_retried_and_one_broken_feed_does_not_hide_the_others(
        store: Store, server: HTTPServer) -> None:
    server.expect_ordered_request("/gone.rss").respond_with_data("gone", status=404)
    server.expect_ordered_request("/news.rss").respond_with_data(
        rss_feed([rss_item(1)]), content_type=RSS)
    source, waits = make_source(server.url_for("/gone.rss"), server.url_for("/news.rss"))
    summary = collect(store, source)
    assert summary.status == "failed" and "HTTP 404" in (summary.error or "")
    assert summary.new == 1 and waits == []


def test_an_undated_entry_is_dated_when_first_seen_and_keeps_that_date(
        store: Store, server: HTTPServer) -> None:
    url = server.url_for("/news.rss")
    undated = rss_item(5).replace("<pubDate>Wed, 25 Nov 2026 05:00:00 GMT</pubDate>", "")
    server.expect_ordered_request("/news.rss").respond_with_data(
        rss_feed([undated, rss_item(1)]), content_type=RSS, headers={"ETag": '"v1"'})
    server.expect_ordered_request("/news.rss").respond_with_data(
        rss_feed([rss_item(6), undated, rss_item(1)]), content_type=RSS,
        headers={"ETag": '"v2"'})
    source, _ = make_source(url)
    source.clock = lambda: datetime(2026, 11, 25, 9, 30, tzinfo=UTC)
    first = collect(store, source)
    assert (first.new, first.quarantined) == (2, 0)
    source.clock = lambda: datetime(2026, 11, 26, 18, 0, tzinfo=UTC)
    second = collect(store, source)
    assert (second.new, second.duplicates, second.quarantined) == (1, 2, 0)
    created, payload = store.db.execute(
        "SELECT p.created_at, r.payload FROM posts p JOIN raw_payloads r ON r.post_id = p.id"
        " WHERE p.native_id LIKE '%item-5'").fetchone()
    assert created == "2026-11-25T09:30:00+00:00"  # first seen; unchanged by the later fetch
    assert json.loads(payload)["entry"]["published_from"] == "first_seen"

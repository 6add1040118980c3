"""Bluesky through atproto against recorded HTTP (``respx``)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
import respx

from listener.pipeline import collect_source
from listener.platforms.bluesky.config import BlueskySourceConfig
from listener.platforms.bluesky.source import BlueskySource
from listener.privacy.pseudonym import Pseudonymiser
from listener.sources.errors import CredentialError
from storage import Store
from tests.listener.platforms.recorded.builders import (
    bluesky_headers,
    bluesky_post,
    bluesky_session,
)

NOW = datetime(2026, 11, 25, 12, 0, 0, tzinfo=UTC)
LOGIN = "https://bsky.social/xrpc/com.atproto.server.createSession"
PDS = "https://porcini.us-east.host.bsky.network/xrpc/app.bsky.feed.searchPosts"
PASSWORD = "abcd-efgh-ijkl-mnop"  # app-password shape


class Replay:
    """Recorded searchPosts exchanges, replayed in order: each request must
    carry exactly the expected query, and every recording must be used."""

    def __init__(self) -> None:
        self.queue: list[tuple[dict[str, str] | None, httpx.Response | Exception]] = []
        self.seen: list[httpx.Request] = []

    def add(self, params: dict[str, str] | None, posts: list[dict[str, Any]] | None = None,
            cursor: str | None = None, *, status: int = 200,
            headers: dict[str, str] | None = None, body: Any = None) -> None:
        if body is None:
            body = {"posts": posts or []}
            if cursor is not None:
                body["cursor"] = cursor
        self.queue.append((params, httpx.Response(status, json=body,
                                                  headers=headers or bluesky_headers())))

    def fail(self, error: Exception) -> None:
        self.queue.append((None, error))

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(request)
        assert self.queue, f"unexpected request {request.url}"
        params, answer = self.queue.pop(0)
        if params is not None:
            assert dict(request.url.params) == params
        if isinstance(answer, Exception):
            raise answer
        return answer


def window(since: str, until: str, cursor: str | None = None, q: str = "bus") -> dict[str, str]:
    params = {"q": q, "sort": "latest", "since": since, "until": until, "limit": "100"}
    if cursor:
        params["cursor"] = cursor
    return params


@pytest.fixture
def creds(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BLUESKY_HANDLE", "collector.example.bsky.social")
    monkeypatch.setenv("BLUESKY_APP_PASSWORD", PASSWORD)


@pytest.fixture
def replay() -> Iterator[tuple[respx.MockRouter, Replay]]:
    searches = Replay()
    with respx.mock(assert_all_called=True, assert_all_mocked=True) as router:
        router.post(LOGIN).mock(return_value=httpx.Response(
            200, json=bluesky_session(), headers=bluesky_headers()))
        router.get(PDS).mock(side_effect=searches)
        yield router, searches
    assert searches.queue == [], "recorded exchanges left unplayed"


def make_source(clock: datetime = NOW, **overrides: Any) -> tuple[BlueskySource, list[float]]:
    settings: dict[str, Any] = {"type": "bluesky", "queries": ["bus"], "window_hours": 6,
                                "backfill_hours": 12, "settle_minutes": 0}
    settings.update(overrides)
    source = BlueskySource("bsky", BlueskySourceConfig(**settings))
    waits: list[float] = []
    source.sleep = waits.append
    source.clock = lambda: clock
    return source, waits


def collect(store: Store, source: BlueskySource, stop: threading.Event | None = None):
    return collect_source(store, "bsky", source, Pseudonymiser(b"k" * 32), stop=stop)


def test_first_run_pages_time_slices_then_second_run_asks_only_for_new(
        creds: None, store: Store, replay: tuple[respx.MockRouter, Replay]) -> None:
    router, searches = replay
    first_slice = window("2026-11-25T00:00:00Z", "2026-11-25T06:00:00Z")
    searches.add(first_slice, [bluesky_post(4, indexed="2026-11-25T05:00:00.000Z"),
                               bluesky_post(3, indexed="2026-11-25T04:00:00.000Z")], "2")
    # page 2 repeats post 3 (an overlap between pages) and has a forged 1970 createdAt
    searches.add(window("2026-11-25T00:00:00Z", "2026-11-25T06:00:00Z", "2"),
                 [bluesky_post(3, indexed="2026-11-25T04:00:00.000Z"),
                  bluesky_post(2, indexed="2026-11-25T03:00:00.000Z",
                               created="1970-01-01T00:00:00.000Z")])
    searches.add(window("2026-11-25T06:00:00Z", "2026-11-25T12:00:00Z"),
                 [bluesky_post(5, indexed="2026-11-25T11:00:00.000Z")])
    source, _ = make_source()
    summary = collect(store, source)
    assert summary.status == "ok", summary.error
    assert (summary.pages, summary.new, summary.duplicates) == (3, 4, 1)
    assert store.collect.cursor("bsky") == {"bus|done_until": "2026-11-25T12:00:00Z",
                                            "bus|slice_until": "", "bus|page": ""}
    forged = store.db.execute("SELECT created_at FROM posts WHERE native_id LIKE ?",
                              ["%/3m00000000002"]).fetchone()[0]
    assert forged.startswith("2026-11-25T03:00:00")  # indexedAt, not 1970
    login = router.routes[0].calls
    assert len(login) == 1 and b"collector.example.bsky.social" in login[0].request.content
    assert all(r.headers["Authorization"].startswith("Bearer ") for r in searches.seen)

    later, _ = make_source(clock=NOW + timedelta(hours=1))
    searches.add(window("2026-11-25T12:00:00Z", "2026-11-25T13:00:00Z"),
                 [bluesky_post(6, indexed="2026-11-25T12:30:00.000Z")])
    summary = collect(store, later)
    assert (summary.status, summary.new, summary.duplicates) == ("ok", 1, 0)


def test_a_run_stopped_inside_a_slice_resumes_at_its_page_cursor(
        creds: None, store: Store, replay: tuple[respx.MockRouter, Replay]) -> None:
    _, searches = replay
    source, _ = make_source(backfill_hours=6)
    searches.add(window("2026-11-25T06:00:00Z", "2026-11-25T12:00:00Z"),
                 [bluesky_post(9), bluesky_post(8)], "2")
    stop = threading.Event()
    stop.set()  # honoured after the first page
    assert collect(store, source, stop).pages == 1
    assert store.collect.cursor("bsky")["bus|page"] == "2"
    searches.add(window("2026-11-25T06:00:00Z", "2026-11-25T12:00:00Z", "2"),
                 [bluesky_post(7)])
    resumed, _ = make_source(clock=NOW + timedelta(minutes=20), backfill_hours=6)
    searches.add(window("2026-11-25T12:00:00Z", "2026-11-25T12:20:00Z"), [])
    summary = collect(store, resumed)
    assert (summary.new, summary.duplicates) == (1, 0)
    assert store.db.execute("SELECT COUNT(*) FROM posts").fetchone()[0] == 3


def test_timeouts_are_bounded_then_the_run_fails_with_the_error_stored(
        creds: None, store: Store, replay: tuple[respx.MockRouter, Replay]) -> None:
    _, searches = replay
    for _ in range(3):
        searches.fail(httpx.ReadTimeout("timed out"))
    source, waits = make_source(backfill_hours=6, max_attempts=3, timeout_seconds=7.5)
    summary = collect(store, source)
    assert summary.status == "failed"
    assert "InvokeTimeoutError (ReadTimeout: timed out)" in (summary.error or ""), summary.error
    assert len(waits) == 2
    assert store.runs.recent("bsky")[0].status == "failed"
    assert all(r.extensions["timeout"]["read"] == 7.5 for r in searches.seen)


def test_a_rejected_app_password_names_the_variables_never_the_value(
        creds: None, store: Store, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    with respx.mock(assert_all_called=True) as router:
        login = router.post(LOGIN).mock(return_value=httpx.Response(
            401, json={"error": "AuthenticationRequired",
                       "message": "Invalid identifier or password"}, headers=bluesky_headers()))
        source, waits = make_source()
        summary = collect(store, source)
    assert summary.status == "failed" and waits == []
    assert "CredentialError" in (summary.error or "")
    assert "BLUESKY_APP_PASSWORD" in (summary.error or "")
    assert PASSWORD.encode() in login.calls[0].request.content  # it was really sent
    stored = repr(store.db.execute("SELECT * FROM runs").fetchall())
    assert PASSWORD not in stored and PASSWORD not in caplog.text
    assert PASSWORD not in repr(source)


def test_a_missing_variable_is_named_at_construction(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BLUESKY_HANDLE", "collector.example.bsky.social")
    monkeypatch.delenv("BLUESKY_APP_PASSWORD", raising=False)
    with pytest.raises(CredentialError, match="BLUESKY_APP_PASSWORD"):
        make_source()


def test_the_newest_slice_ends_settle_minutes_before_now(
        creds: None, store: Store, replay: tuple[respx.MockRouter, Replay]) -> None:
    _, searches = replay
    searches.add(window("2026-11-25T07:50:00Z", "2026-11-25T11:50:00Z"), [bluesky_post(1)])
    source, _ = make_source(backfill_hours=4, window_hours=6, settle_minutes=10)
    assert collect(store, source).new == 1
    assert store.collect.cursor("bsky")["bus|done_until"] == "2026-11-25T11:50:00Z"

"""Reddit source through the real praw/prawcore client against recorded HTTP."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
import requests
import responses
from responses import matchers

from listener.pipeline import collect_source
from listener.platforms.reddit.config import RedditSourceConfig
from listener.platforms.reddit.source import RedditSource
from listener.privacy.pseudonym import Pseudonymiser
from listener.sources.errors import CredentialError
from storage import Store
from tests.listener.platforms.recorded.reddit_bodies import (
    OAUTH,
    TOKEN_URL,
    comment,
    comments_response,
    listing,
    rate_headers,
    submission,
    token_body,
)

NEW_URL = f"{OAUTH}/r/Leeds/new"
SEARCH_URL = f"{OAUTH}/r/Leeds/search/"
PSEUDO = Pseudonymiser(b"r" * 32)
T0 = 1763900000.0


@pytest.fixture
def praw_sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """prawcore's own waits (its retry strategy and rate limiter), recorded, not slept."""
    slept: list[float] = []
    monkeypatch.setattr(time, "sleep", slept.append)
    return slept


@pytest.fixture
def rsps(praw_sleeps: list[float]) -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=True) as mock:
        mock.post(TOKEN_URL, json=token_body())
        yield mock


def make_source(monkeypatch: pytest.MonkeyPatch, sleeps: list[float] | None = None,
                **overrides: Any) -> RedditSource:
    monkeypatch.setenv("REDDIT_CLIENT_ID", "test-client-id-7731")
    monkeypatch.setenv("REDDIT_CLIENT_SECRET", "test-client-secret-0c1d")
    cfg = RedditSourceConfig(type="reddit", subreddits=["Leeds"], enabled=True, **overrides)
    source = RedditSource("reddit_leeds", cfg)
    source.sleep = (sleeps if sleeps is not None else []).append
    return source


def page1() -> dict[str, Any]:
    body: dict[str, Any] = listing([submission("1p0c5a", "Bins missed on Harehills Lane", T0 + 50,
                               selftext="Third week running."),
                    submission("1p0b9z", "Library opening hours", T0 + 40)], after="t3_1p0b9z")
    return body


def page2(*extra: dict[str, Any]) -> dict[str, Any]:
    body: dict[str, Any] = listing(
        [*extra, submission("1p0a11", "Pothole on Roundhay Road", T0 + 30)])
    return body


def listing_calls(rsps: responses.RequestsMock) -> list[Any]:
    return [c for c in rsps.calls if (c.request.url or "").startswith(OAUTH)]


def names(store: Store) -> set[str]:
    return {r[0] for r in store.db.execute("SELECT native_id FROM posts")}


def test_first_run_authenticates_and_pages_through_after(monkeypatch: pytest.MonkeyPatch,
        store: Store, rsps: responses.RequestsMock) -> None:
    rsps.get(NEW_URL, json=page1(), headers=rate_headers(),
             match=[matchers.query_param_matcher({"limit": "100", "raw_json": "1"})])
    rsps.get(NEW_URL, json=page2(), headers=rate_headers(597.0, 3),
             match=[matchers.query_param_matcher({"limit": "100", "raw_json": "1",
                                                  "after": "t3_1p0b9z"})])
    summary = collect_source(store, "reddit_leeds", make_source(monkeypatch), PSEUDO)
    assert (summary.status, summary.pages, summary.new) == ("ok", 2, 3)
    assert names(store) == {"t3_1p0c5a", "t3_1p0b9z", "t3_1p0a11"}
    assert listing_calls(rsps)[0].request.headers["Authorization"].startswith("bearer ")
    raw = json.loads(store.db.execute("SELECT payload FROM raw_payloads LIMIT 1").fetchone()[0])
    assert raw["kind"] == "t3" and raw["data"]["author"] == "leeds_resident"  # as Reddit sent
    state = json.loads(store.collect.cursor("reddit_leeds")["state:r/Leeds new"])
    assert state["since"] == T0 + 50 and "t3_1p0c5a" in state["seen"]


def test_second_run_stops_at_what_it_has_seen(monkeypatch: pytest.MonkeyPatch, store: Store,
        rsps: responses.RequestsMock) -> None:
    rsps.get(NEW_URL, json=listing([submission("1p0c5a", "Bins", T0 + 50)]))
    collect_source(store, "reddit_leeds", make_source(monkeypatch), PSEUDO)
    # Reddit cannot be asked "after this post" reliably: the newest page is
    # read and the pass stops at the first item already seen, without page 2.
    rsps.get(NEW_URL, json=listing([submission("1p0d00", "Council tax letter", T0 + 90),
                                    submission("1p0c5a", "Bins", T0 + 50),
                                    submission("1ozzzz", "old", T0 - 10)],
                                   after="t3_1ozzzz"))
    summary = collect_source(store, "reddit_leeds", make_source(monkeypatch), PSEUDO)
    assert (summary.status, summary.new, summary.duplicates, summary.fetched) == ("ok", 1, 0, 1)
    assert len(listing_calls(rsps)) == 2
    assert "after" not in listing_calls(rsps)[1].request.params
    state = json.loads(store.collect.cursor("reddit_leeds")["state:r/Leeds new"])
    assert state["since"] == T0 + 90


def test_search_queries_sort_by_new_within_the_subreddit(monkeypatch: pytest.MonkeyPatch,
        store: Store, rsps: responses.RequestsMock) -> None:
    rsps.get(SEARCH_URL, json=listing([submission("1p0c5a", "Bins missed", T0)]),
             match=[matchers.query_param_matcher(
                 {"q": "bins", "sort": "new", "restrict_sr": "True", "syntax": "lucene",
                  "t": "all", "limit": "100", "raw_json": "1"})])
    summary = collect_source(store, "reddit_leeds",
                             make_source(monkeypatch, queries=["bins"]), PSEUDO)
    assert (summary.status, summary.new) == ("ok", 1)
    match = store.db.execute("SELECT query FROM post_matches").fetchone()[0]
    assert match == "r/Leeds search bins"


def test_overlap_between_pages_is_stored_once(monkeypatch: pytest.MonkeyPatch, store: Store,
        rsps: responses.RequestsMock) -> None:
    rsps.get(NEW_URL, json=page1())
    # a new post shifted the listing: page 2 repeats the last item of page 1
    rsps.get(NEW_URL, json=page2(submission("1p0b9z", "Library opening hours", T0 + 40)))
    summary = collect_source(store, "reddit_leeds", make_source(monkeypatch), PSEUDO)
    assert (summary.new, summary.duplicates) == (3, 1)
    assert store.count_posts() == 3


def test_kill_mid_pass_resumes_at_after(monkeypatch: pytest.MonkeyPatch, store: Store,
        rsps: responses.RequestsMock) -> None:
    stop = threading.Event()
    stop.set()
    rsps.get(NEW_URL, json=page1())
    collect_source(store, "reddit_leeds", make_source(monkeypatch), PSEUDO, stop=stop)
    cursor = store.collect.cursor("reddit_leeds")
    assert cursor["after:r/Leeds new"] == "t3_1p0b9z" and "state:r/Leeds new" not in cursor
    rsps.get(NEW_URL, json=page2(),
             match=[matchers.query_param_matcher({"after": "t3_1p0b9z"}, strict_match=False)])
    summary = collect_source(store, "reddit_leeds", make_source(monkeypatch), PSEUDO)
    assert (summary.new, summary.duplicates) == (1, 0)
    state = json.loads(store.collect.cursor("reddit_leeds")["state:r/Leeds new"])
    assert state["since"] == T0 + 50  # promoted from the first page of the killed pass


def test_429_waits_for_the_reset_header(monkeypatch: pytest.MonkeyPatch, store: Store,
        rsps: responses.RequestsMock, praw_sleeps: list[float]) -> None:
    sleeps: list[float] = []
    rsps.get(NEW_URL, status=429, json={"message": "Too Many Requests", "error": 429},
             headers=rate_headers(0.0, 600, reset=42))
    rsps.get(NEW_URL, json=page2())
    summary = collect_source(store, "reddit_leeds", make_source(monkeypatch, sleeps), PSEUDO)
    assert (summary.status, summary.new) == ("ok", 1)
    assert len(sleeps) == 1 and 42 <= sleeps[0] <= 42 * 1.1
    # praw's rate limiter also holds the next request until the reset
    assert any(40 < s <= 42 for s in praw_sleeps)


def test_burst_of_5xx_is_recovered(monkeypatch: pytest.MonkeyPatch, store: Store,
        rsps: responses.RequestsMock, praw_sleeps: list[float]) -> None:
    sleeps: list[float] = []
    for status in (503, 502, 500, 503, 504):
        rsps.get(NEW_URL, status=status, body="<html>upstream error</html>")
    rsps.get(NEW_URL, json=page2())
    summary = collect_source(store, "reddit_leeds", make_source(monkeypatch, sleeps), PSEUDO)
    assert (summary.status, summary.new) == ("ok", 1)
    # prawcore retried twice inside each of our attempts; we retried once more
    assert len(listing_calls(rsps)) == 6 and len(sleeps) == 1


def test_5xx_that_never_ends_fails_the_run_visibly(monkeypatch: pytest.MonkeyPatch, store: Store,
        rsps: responses.RequestsMock) -> None:
    rsps.get(NEW_URL, status=503, body="down")
    summary = collect_source(store, "reddit_leeds", make_source(monkeypatch, max_attempts=2),
                             PSEUDO)
    assert summary.status == "failed" and "503" in (summary.error or "")
    assert len(listing_calls(rsps)) == 6  # 2 attempts x prawcore's 3 tries
    run = store.runs.last("reddit_leeds")
    assert run is not None and run.status == "failed" and run.error == summary.error


def test_malformed_children_are_quarantined_and_the_page_stored(monkeypatch: pytest.MonkeyPatch,
        store: Store, rsps: responses.RequestsMock) -> None:
    broken = submission("1p0bad", "no time", T0)
    del broken["data"]["created_utc"]
    removed = submission("1p0rem", "x", T0 + 1, selftext="[removed]")
    rsps.get(NEW_URL, json=listing([submission("1p0c5a", "Bins", T0 + 5), broken, removed,
                                    {"kind": "t5", "data": {"name": "t5_x"}}]))
    summary = collect_source(store, "reddit_leeds", make_source(monkeypatch), PSEUDO)
    assert (summary.status, summary.new, summary.quarantined) == ("ok", 1, 3)
    errors = [r[0] for r in store.db.execute("SELECT error FROM quarantine ORDER BY id")]
    assert "created_utc" in errors[0] and "[removed]" in errors[1] and "t5" in errors[2]


def test_every_request_has_the_configured_timeout(monkeypatch: pytest.MonkeyPatch, store: Store,
        rsps: responses.RequestsMock, praw_sleeps: list[float]) -> None:
    rsps.get(NEW_URL, body=requests.exceptions.ReadTimeout("read timed out"))
    rsps.get(NEW_URL, json=page2())
    summary = collect_source(store, "reddit_leeds",
                             make_source(monkeypatch, timeout_seconds=7.5), PSEUDO)
    assert (summary.status, summary.new) == ("ok", 1)
    assert [c.request.req_kwargs["timeout"] for c in rsps.calls  # type: ignore[attr-defined]
            ] == [7.5, 7.5, 7.5]


def test_timeouts_that_persist_fail_the_run(monkeypatch: pytest.MonkeyPatch, store: Store,
        rsps: responses.RequestsMock) -> None:
    rsps.get(NEW_URL, body=requests.exceptions.ConnectTimeout("connect timed out"))
    summary = collect_source(store, "reddit_leeds", make_source(monkeypatch, max_attempts=2),
                             PSEUDO)
    assert summary.status == "failed" and "timed out" in (summary.error or "")


def test_missing_secret_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REDDIT_CLIENT_ID", "id")
    monkeypatch.delenv("REDDIT_CLIENT_SECRET", raising=False)
    with pytest.raises(CredentialError, match="REDDIT_CLIENT_SECRET is not set"):
        RedditSource("r", RedditSourceConfig(type="reddit", subreddits=["Leeds"]))


def test_top_level_comments_are_stored_before_their_posts_page(monkeypatch: pytest.MonkeyPatch,
        store: Store, rsps: responses.RequestsMock) -> None:
    post = submission("1p0c5a", "Bins missed", T0, num_comments=2)
    rsps.get(NEW_URL, json=listing([post]))
    rsps.get(f"{OAUTH}/comments/1p0c5a/",
             json=comments_response(post, [comment("m1", "Same on our street", T0 + 5, "1p0c5a"),
                                           {"kind": "more", "data": {"count": 4,
                                                                     "children": ["m9"]}}]),
             match=[matchers.query_param_matcher({"depth": "1", "sort": "new"},
                                                 strict_match=False)])
    summary = collect_source(store, "reddit_leeds",
                             make_source(monkeypatch, include_comments=True), PSEUDO)
    assert (summary.status, summary.pages, summary.new) == ("ok", 2, 2)
    rows = store.db.execute("SELECT native_id, in_reply_to FROM posts ORDER BY id").fetchall()
    assert rows == [("t1_m1", "t3_1p0c5a"), ("t3_1p0c5a", None)]

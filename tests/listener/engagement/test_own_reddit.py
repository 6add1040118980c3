"""The body's own Reddit account through the real praw/prawcore client
against recorded HTTP: its comments and posts, the replies under them;
first and incremental runs, a reply and its parent in either order, a rate
limit, a deleted parent."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
import responses
from responses import matchers

from listener.pipeline import collect_source
from listener.platforms.reddit.config import RedditOwnConfig
from listener.platforms.reddit.own import RedditOwnSource
from storage import Store
from tests.listener.engagement.helpers import PSEUDO, conversation
from tests.listener.platforms.recorded.reddit_bodies import (
    OAUTH,
    TOKEN_URL,
    comment,
    listing,
    rate_headers,
    submission,
    token_body,
)

T0 = 1763900000.0
COMMENTS = f"{OAUTH}/user/ExampleCouncil/comments"
SUBMITTED = f"{OAUTH}/user/ExampleCouncil/submitted"


@pytest.fixture
def rsps(monkeypatch: pytest.MonkeyPatch) -> Iterator[responses.RequestsMock]:
    monkeypatch.setattr(time, "sleep", lambda s: None)  # prawcore's own waits
    with responses.RequestsMock(assert_all_requests_are_fired=True) as mock:
        mock.post(TOKEN_URL, json=token_body())
        yield mock


def source(monkeypatch: pytest.MonkeyPatch, sleeps: list[float] | None = None
           ) -> RedditOwnSource:
    monkeypatch.setenv("REDDIT_CLIENT_ID", "test-client-id-7731")
    monkeypatch.setenv("REDDIT_CLIENT_SECRET", "test-client-secret-0c1d")
    src = RedditOwnSource("own:reddit", RedditOwnConfig(type="reddit", enabled=True,
                                                         account="ExampleCouncil"))
    src.sleep = (sleeps if sleeps is not None else []).append
    src.clock = lambda: T0 + 3600
    return src


def reply(short: str, body: str, created: float, link: str, parent: str,
          author: str = "leeds_resident", replies: list[Any] | None = None) -> dict[str, Any]:
    item = comment(short, body, created, link, author=author)
    item["data"]["parent_id"] = parent
    if replies:
        item["data"]["replies"] = listing(replies)
    return item


POST = submission("1p0c5a", "Christmas bin collections", T0 + 10, author="ExampleCouncil",
                  selftext="Collections move by a day over Christmas.")
# a resident's question on their own post, and the council's answer to it
QUESTION = submission("1p0b00", "When does the tip reopen?", T0, selftext="Anyone know?")
ANSWER = reply("kx0001", "It reopens on Monday.", T0 + 20, "1p0b00", "t3_1p0b00",
               author="ExampleCouncil")
R1 = reply("kx0002", "Why a day later?", T0 + 30, "1p0c5a", "t3_1p0c5a",
           replies=[reply("kx0003", "because of the bank holiday", T0 + 40, "1p0c5a",
                          "t1_kx0002", author="another_resident")])


def first_run(rsps: responses.RequestsMock) -> None:
    rsps.get(COMMENTS, json=listing([ANSWER]), headers=rate_headers())
    rsps.get(SUBMITTED, json=listing([POST]), headers=rate_headers())
    # the replies: under the answer (and the thread it sits in), then under the post
    rsps.get(f"{OAUTH}/comments/1p0b00/", headers=rate_headers(),
             match=[matchers.query_param_matcher({"comment": "kx0001"}, strict_match=False)],
             json=[listing([QUESTION]), listing([ANSWER])])
    rsps.get(f"{OAUTH}/comments/1p0c5a/", headers=rate_headers(),
             json=[listing([POST]), listing([R1])])


def test_first_run_links_replies_to_the_bodys_post(monkeypatch: pytest.MonkeyPatch,
        store: Store, rsps: responses.RequestsMock) -> None:
    first_run(rsps)
    summary = collect_source(store, "own:reddit", source(monkeypatch), PSEUDO)
    assert (summary.status, summary.new) == ("ok", 4)
    got = conversation(store)
    assert got["t3_1p0c5a"]["voice"] == "own" and got["t1_kx0001"]["voice"] == "own"
    assert (got["t1_kx0002"]["parent"], got["t1_kx0002"]["voice"]) == ("t3_1p0c5a", "to_us")
    assert (got["t1_kx0003"]["parent"], got["t1_kx0003"]["thread"]) == ("t1_kx0002",
                                                                        "t3_1p0c5a")
    # the answer's parent, a resident's post, is not collected by this channel: it
    # stays missing until a Reddit source stores it
    assert (got["t1_kx0001"]["parent"], got["t1_kx0001"]["parent_native"]) == (None,
                                                                                "t3_1p0b00")


def test_incremental_run_and_a_parent_arriving_after_its_reply(
        monkeypatch: pytest.MonkeyPatch, store: Store, rsps: responses.RequestsMock) -> None:
    first_run(rsps)
    collect_source(store, "own:reddit", source(monkeypatch), PSEUDO)
    later = reply("kx0009", "Still waiting for my missed bin", T0 + 900, "1p0c5a", "t3_1p0c5a")
    rsps.get(COMMENTS, json=listing([ANSWER]), headers=rate_headers())  # nothing newer
    rsps.get(SUBMITTED, json=listing([POST]), headers=rate_headers())
    rsps.get(f"{OAUTH}/comments/1p0b00/", headers=rate_headers(),
             json=[listing([QUESTION]), listing([ANSWER])])
    rsps.get(f"{OAUTH}/comments/1p0c5a/", headers=rate_headers(),
             json=[listing([POST]), listing([later, R1])])
    summary = collect_source(store, "own:reddit", source(monkeypatch), PSEUDO)
    assert (summary.status, summary.new) == ("ok", 1)
    assert conversation(store)["t1_kx0009"]["voice"] == "to_us"
    # the resident's post the council answered arrives later (a Reddit source)
    run = store.runs.start("reddit_leeds")
    from listener.pipeline import normalise_page
    from listener.sources.base import Page, RawItem
    items, _ = normalise_page(Page("reddit", [RawItem(QUESTION)]), PSEUDO)
    store.collect.save_page(source="reddit_leeds", run_id=run, items=items)
    got = conversation(store)
    assert got["t1_kx0001"]["parent"] == "t3_1p0b00" and got["t1_kx0001"]["thread"] == \
        "t3_1p0b00"


def test_a_rate_limit_waits_for_the_reset(monkeypatch: pytest.MonkeyPatch, store: Store,
        rsps: responses.RequestsMock) -> None:
    sleeps: list[float] = []
    rsps.get(COMMENTS, status=429, json={"message": "Too Many Requests", "error": 429},
             headers=rate_headers(0.0, 600, reset=42))
    rsps.get(COMMENTS, json=listing([]), headers=rate_headers())
    rsps.get(SUBMITTED, json=listing([POST]), headers=rate_headers())
    rsps.get(f"{OAUTH}/comments/1p0c5a/", headers=rate_headers(),
             json=[listing([POST]), listing([])])
    summary = collect_source(store, "own:reddit", source(monkeypatch, sleeps), PSEUDO)
    assert (summary.status, summary.new) == ("ok", 1)
    assert len(sleeps) == 1 and 42 <= sleeps[0] <= 42 * 1.1


def test_a_reply_to_a_deleted_comment_keeps_its_parent_missing(
        monkeypatch: pytest.MonkeyPatch, store: Store, rsps: responses.RequestsMock) -> None:
    deleted = reply("kx0020", "[deleted]", T0 + 50, "1p0c5a", "t3_1p0c5a", author="[deleted]",
                    replies=[reply("kx0021", "what did they say?", T0 + 60, "1p0c5a",
                                   "t1_kx0020", author="another_resident")])
    rsps.get(COMMENTS, json=listing([]), headers=rate_headers())
    rsps.get(SUBMITTED, json=listing([POST]), headers=rate_headers())
    rsps.get(f"{OAUTH}/comments/1p0c5a/", headers=rate_headers(),
             json=[listing([POST]), listing([deleted])])
    summary = collect_source(store, "own:reddit", source(monkeypatch), PSEUDO)
    assert (summary.status, summary.new, summary.quarantined) == ("ok", 2, 1)
    got = conversation(store)["t1_kx0021"]
    assert (got["parent"], got["parent_native"], got["thread"], got["voice"]) == (
        None, "t1_kx0020", "t3_1p0c5a", "about_us")

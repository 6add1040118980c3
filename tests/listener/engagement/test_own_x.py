"""The body's own X account through the real tweepy client against recorded
HTTP (``responses``): timeline and mentions, first and incremental runs,
thread linking in both arrival orders, a rate limit, a deleted parent, and
every read counted against the channel's monthly budget."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import responses
from responses import matchers

from listener.pipeline import collect_source
from listener.platforms.x.config import XOwnConfig
from listener.platforms.x.own import XOwnSource
from storage import Store
from tests.listener.engagement.helpers import PSEUDO, conversation
from tests.listener.platforms.recorded.x_bodies import page, rate_headers, tweet, user

API = "https://api.twitter.com/2"
LOOKUP = f"{API}/users/by/username/ExampleCouncil"
TIMELINE = f"{API}/users/99/tweets"
MENTIONS = f"{API}/users/99/mentions"
COUNCIL = user("99", "ExampleCouncil")


@pytest.fixture
def rsps() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=True) as mock:
        yield mock


def source(monkeypatch: pytest.MonkeyPatch, sleeps: list[float] | None = None,
           **extra: Any) -> XOwnSource:
    monkeypatch.setenv("X_BEARER_TOKEN", "test-bearer-AAAAAAAAAAAAAAAAAAAAAMLheAAAAAAA0")
    cfg = XOwnConfig.model_validate({"type": "x", "enabled": True, "account": "ExampleCouncil",
                                     **extra})
    src = XOwnSource("own:x", cfg)
    src.sleep = (sleeps if sleeps is not None else []).append
    return src


def reply(tid: str, text: str, author: str, parent: str, conversation_id: str,
          **kw: Any) -> dict[str, Any]:
    body = tweet(tid, text, author, refs=[("replied_to", parent)], **kw)
    body["conversation_id"] = conversation_id
    return body


def first_run(rsps: responses.RequestsMock) -> None:
    rsps.get(LOOKUP, json={"data": {"id": "99", "name": "Example Council",
                                    "username": "ExampleCouncil"}}, headers=rate_headers())
    # the timeline: a council post, and the council's answer to a question it
    # has not yet seen (the question comes with the mentions: after its reply)
    rsps.get(TIMELINE, headers=rate_headers(), json=page(
        [reply("1860000000000000030", "@resident_a It goes back on Monday.", "99",
               "1860000000000000020", "1860000000000000020"),
         tweet("1860000000000000010", "Garden waste collections pause over winter.", "99")],
        [COUNCIL], referenced=[tweet("1860000000000000020", "when does it reopen?", "11")]))
    rsps.get(MENTIONS, headers=rate_headers(), json=page(
        [reply("1860000000000000021", "@ExampleCouncil why stop it, it's still needed",
               "12", "1860000000000000010", "1860000000000000010"),
         tweet("1860000000000000020", "@ExampleCouncil when does the tip reopen?", "11")],
        [user("11", "resident_a"), user("12", "resident_b"), COUNCIL],
        referenced=[tweet("1860000000000000010", "Garden waste collections pause.", "99")]))


def test_first_run_links_threads_in_both_arrival_orders(monkeypatch: pytest.MonkeyPatch,
        store: Store, rsps: responses.RequestsMock) -> None:
    first_run(rsps)
    summary = collect_source(store, "own:x", source(monkeypatch), PSEUDO)
    assert (summary.status, summary.new) == ("ok", 4)
    got = conversation(store)
    # the council's own posts keep the official handle; residents none
    assert got["1860000000000000010"]["voice"] == "own"
    assert got["1860000000000000010"]["handle"] == "ExampleCouncil"
    # the answer came before its question and was linked when the question came
    assert got["1860000000000000030"]["parent"] == "1860000000000000020"
    assert got["1860000000000000030"]["thread"] == "1860000000000000020"
    # the question (a mention) and the reply to the council's post: to us
    assert got["1860000000000000020"] == {"thread": "1860000000000000020", "parent": None,
                                          "parent_native": None, "voice": "to_us",
                                          "handle": None}
    assert got["1860000000000000021"]["parent"] == "1860000000000000010"
    assert got["1860000000000000021"]["voice"] == "to_us"
    # each stream asked for the expansions the splitter and normaliser read
    params = dict(rsps.calls[1].request.params)
    assert "conversation_id" in params["tweet.fields"] and "pagination_token" not in params
    assert store.usage.reads_used("own:x") == 1 + 2 + 2  # the lookup and four tweets
    cursor = store.collect.cursor("own:x")
    assert cursor["user_id"] == "99"
    assert cursor["since_id:timeline"] == "1860000000000000030"
    assert cursor["since_id:mentions"] == "1860000000000000021"


def test_incremental_run_asks_only_for_newer_posts(monkeypatch: pytest.MonkeyPatch,
        store: Store, rsps: responses.RequestsMock) -> None:
    first_run(rsps)
    collect_source(store, "own:x", source(monkeypatch), PSEUDO)
    rsps.get(TIMELINE, json={"meta": {"result_count": 0}},
             match=[matchers.query_param_matcher({"since_id": "1860000000000000030"},
                                                 strict_match=False)])
    rsps.get(MENTIONS, json=page(
        [reply("1860000000000000040", "@ExampleCouncil @resident_a thanks, that helps",
               "11", "1860000000000000030", "1860000000000000020")],
        [user("11", "resident_a")]),
        match=[matchers.query_param_matcher({"since_id": "1860000000000000021"},
                                            strict_match=False)])
    summary = collect_source(store, "own:x", source(monkeypatch), PSEUDO)
    assert (summary.status, summary.new) == ("ok", 1)
    got = conversation(store)["1860000000000000040"]
    assert (got["parent"], got["thread"], got["voice"]) == (
        "1860000000000000030", "1860000000000000020", "to_us")
    assert not any("by/username" in c.request.url for c in rsps.calls[3:])  # id kept


def test_rate_limit_waits_for_the_reset_then_carries_on(monkeypatch: pytest.MonkeyPatch,
        store: Store, rsps: responses.RequestsMock) -> None:
    sleeps: list[float] = []
    rsps.get(TIMELINE, status=429, headers=rate_headers(0, reset_in=120),
             json={"title": "Too Many Requests", "detail": "Too Many Requests",
                   "type": "about:blank", "status": 429})
    rsps.get(TIMELINE, json=page([tweet("1860000000000000010", "Council post", "99")],
                                 [COUNCIL]), headers=rate_headers())
    rsps.get(MENTIONS, json={"meta": {"result_count": 0}}, headers=rate_headers())
    summary = collect_source(store, "own:x", source(monkeypatch, sleeps, user_id="99"),
                             PSEUDO)
    assert (summary.status, summary.new) == ("ok", 1)
    assert len(sleeps) == 1 and 100 <= sleeps[0] <= 200


def test_a_reply_to_a_deleted_post_is_kept_with_its_parent_missing(
        monkeypatch: pytest.MonkeyPatch, store: Store, rsps: responses.RequestsMock) -> None:
    rsps.get(TIMELINE, json={"meta": {"result_count": 0}})
    body = page([reply("1860000000000000051", "@ExampleCouncil @gone_user agreed, fix it",
                       "12", "1860000000000000050", "1860000000000000010")],
                [user("12", "resident_b")])
    body["errors"] = [{"value": "1860000000000000050", "detail": "Could not find tweet with"
                       " referenced_tweets.id: [1860000000000000050].", "title": "Not Found Error",
                       "resource_type": "tweet", "parameter": "referenced_tweets.id",
                       "resource_id": "1860000000000000050",
                       "type": "https://api.twitter.com/2/problems/resource-not-found"}]
    rsps.get(MENTIONS, json=body)
    summary = collect_source(store, "own:x", source(monkeypatch, user_id="99"), PSEUDO)
    assert (summary.status, summary.new, summary.quarantined) == ("ok", 1, 0)
    got = conversation(store)["1860000000000000051"]
    assert (got["parent"], got["parent_native"], got["thread"], got["voice"]) == (
        None, "1860000000000000050", "1860000000000000010", "to_us")


def test_a_spent_budget_stops_before_reading(monkeypatch: pytest.MonkeyPatch, store: Store,
        rsps: responses.RequestsMock) -> None:
    store.usage.add_reads("own:x", 5)
    summary = collect_source(store, "own:x",
                             source(monkeypatch, user_id="99", monthly_read_budget=5), PSEUDO)
    assert (summary.status, summary.pages) == ("ok", 0)
    assert len(rsps.calls) == 0

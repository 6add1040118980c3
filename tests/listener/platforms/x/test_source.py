"""X source through the real tweepy client against recorded HTTP (responses)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from typing import Any

import pytest
import responses
from responses import matchers

from listener.pipeline import collect_source
from listener.platforms.x.config import XSourceConfig
from listener.platforms.x.source import XSource
from listener.privacy.pseudonym import Pseudonymiser
from listener.sources.errors import CredentialError
from storage import Store
from tests.listener.platforms.recorded.x_bodies import (
    SEARCH_URL,
    page,
    place,
    rate_headers,
    tweet,
    user,
)

TOKEN = "test-bearer-AAAAAAAAAAAAAAAAAAAAAMLheAAAAAAA0"
QUERY = "(bin collection OR bins) lang:en -is:retweet"


@pytest.fixture
def rsps() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=True) as mock:
        yield mock


PSEUDO = Pseudonymiser(b"k" * 32)


def params_of(call: Any) -> dict[str, str]:
    """The query parameters responses recorded for a call."""
    return dict(call.request.params)


def timeout_of(call: Any) -> Any:
    """The ``timeout=`` the client passed for a call (responses records it)."""
    return call.request.req_kwargs["timeout"]


def make_source(monkeypatch: pytest.MonkeyPatch, sleeps: list[float] | None = None,
                **overrides: Any) -> XSource:
    monkeypatch.setenv("X_BEARER_TOKEN", TOKEN)
    cfg = XSourceConfig.model_validate({"type": "x", "queries": [QUERY], "enabled": True,
                                        **overrides})
    source = XSource("x_bins", cfg)
    source.sleep = (sleeps if sleeps is not None else []).append
    return source


def first_page() -> dict[str, Any]:
    body: dict[str, Any] = page(
        [tweet("1860000000000000005", "Bins not collected on Elm Road again", "11", likes=7,
               place_id="pl1"),
         tweet("1860000000000000004", "RT @council: Garden waste resumes Monday", "12",
               refs=[("retweeted", "1850000000000000001")])],
        [user("11", "resident_a"), user("12", "resident_b"), user("99", "council")],
        places=[place("pl1", "Leeds, England")],
        referenced=[tweet("1850000000000000001", "Garden waste resumes Monday", "99")],
        next_token="b26v89c19zqg8o3fpds60ssjif02fq74br3502of8hmrh",
    )
    return body


def second_page(extra: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    body: dict[str, Any] = page(
        [*(extra or []), tweet("1860000000000000002", "Recycling centre queues", "13")],
        [user("11", "resident_a"), user("13", "resident_c")])
    return body


def posts(store: Store) -> dict[str, dict[str, Any]]:
    rows = store.db.execute("SELECT native_id, text, likes, place, author_key FROM posts")
    return {r[0]: {"text": r[1], "likes": r[2], "place": r[3], "author_key": r[4]} for r in rows}


def test_first_run_pages_through_next_token_keeping_includes(monkeypatch: pytest.MonkeyPatch,
        store: Store, rsps: responses.RequestsMock) -> None:
    rsps.get(SEARCH_URL, json=first_page(), headers=rate_headers(),
             match=[matchers.query_param_matcher({"query": QUERY, "max_results": "100"},
                                                 strict_match=False)])
    rsps.get(SEARCH_URL, json=second_page(), headers=rate_headers(448),
             match=[matchers.query_param_matcher(
                 {"next_token": "b26v89c19zqg8o3fpds60ssjif02fq74br3502of8hmrh"},
                 strict_match=False)])
    summary = collect_source(store, "x_bins", make_source(monkeypatch), PSEUDO)

    assert (summary.status, summary.pages, summary.new) == ("ok", 2, 3)
    first_params = params_of(rsps.calls[0])
    assert "since_id" not in first_params
    assert set(first_params["expansions"].split(",")) >= {
        "author_id", "geo.place_id", "referenced_tweets.id"}
    assert "public_metrics" in first_params["tweet.fields"]
    stored = posts(store)
    assert stored["1860000000000000005"]["likes"] == 7
    assert stored["1860000000000000005"]["place"] == "Leeds, England"
    assert stored["1860000000000000004"]["text"] == "Garden waste resumes Monday"
    assert all(p["author_key"] for p in stored.values())
    raw = json.loads(store.db.execute(
        "SELECT r.payload FROM raw_payloads r JOIN posts p ON p.id = r.post_id"
        " WHERE p.native_id = '1860000000000000004'").fetchone()[0])
    assert [u["id"] for u in raw["includes"]["users"]] == ["12", "99"]
    assert raw["includes"]["tweets"][0]["id"] == "1850000000000000001"
    cursor = store.collect.cursor("x_bins")
    assert cursor[f"since_id:{QUERY}"] == "1860000000000000005"
    assert cursor[f"next_token:{QUERY}"] == "" and cursor[f"pending:{QUERY}"] == ""
    assert store.usage.reads_used("x_bins") == 3


def test_second_run_asks_only_for_newer_tweets(monkeypatch: pytest.MonkeyPatch, store: Store,
        rsps: responses.RequestsMock) -> None:
    rsps.get(SEARCH_URL, json=page([tweet("1860000000000000005", "first", "11")],
                                   [user("11", "a")]))
    collect_source(store, "x_bins", make_source(monkeypatch), PSEUDO)
    rsps.get(SEARCH_URL, json=page([tweet("1860000000000000009", "newer", "11")],
                                   [user("11", "a")]),
             match=[matchers.query_param_matcher({"since_id": "1860000000000000005"},
                                                 strict_match=False)])
    summary = collect_source(store, "x_bins", make_source(monkeypatch), PSEUDO)
    assert (summary.status, summary.new) == ("ok", 1)
    assert params_of(rsps.calls[1])["since_id"] == "1860000000000000005"
    assert store.collect.cursor("x_bins")[f"since_id:{QUERY}"] == "1860000000000000009"


def test_nothing_new_keeps_the_cursor(monkeypatch: pytest.MonkeyPatch, store: Store,
        rsps: responses.RequestsMock) -> None:
    rsps.get(SEARCH_URL, json=page([tweet("1860000000000000005", "first", "11")],
                                   [user("11", "a")]))
    rsps.get(SEARCH_URL, json={"meta": {"result_count": 0}})
    collect_source(store, "x_bins", make_source(monkeypatch), PSEUDO)
    summary = collect_source(store, "x_bins", make_source(monkeypatch), PSEUDO)
    assert (summary.status, summary.new) == ("ok", 0)
    assert store.collect.cursor("x_bins")[f"since_id:{QUERY}"] == "1860000000000000005"


def test_overlap_between_pages_is_stored_once(monkeypatch: pytest.MonkeyPatch, store: Store,
        rsps: responses.RequestsMock) -> None:
    rsps.get(SEARCH_URL, json=first_page())
    overlap = tweet("1860000000000000004", "RT @council: Garden waste resumes Monday", "12")
    rsps.get(SEARCH_URL, json=second_page(extra=[overlap]) | {
        "includes": {"users": [user("12", "resident_b"), user("13", "resident_c")]}})
    summary = collect_source(store, "x_bins", make_source(monkeypatch), PSEUDO)
    assert (summary.new, summary.duplicates) == (3, 1)
    assert store.count_posts() == 3


def test_kill_mid_pass_resumes_at_next_token_and_promotes_pending(monkeypatch: pytest.MonkeyPatch,
        store: Store, rsps: responses.RequestsMock) -> None:
    stop = threading.Event()
    stop.set()  # honoured after the first page is stored: a kill between pages
    rsps.get(SEARCH_URL, json=first_page())
    collect_source(store, "x_bins", make_source(monkeypatch), PSEUDO, stop=stop)
    cursor = store.collect.cursor("x_bins")
    assert cursor[f"pending:{QUERY}"] == "1860000000000000005"
    assert cursor[f"next_token:{QUERY}"].startswith("b26v89")
    assert not cursor.get(f"since_id:{QUERY}")

    rsps.get(SEARCH_URL, json=second_page(),
             match=[matchers.query_param_matcher(
                 {"next_token": "b26v89c19zqg8o3fpds60ssjif02fq74br3502of8hmrh"},
                 strict_match=False)])
    summary = collect_source(store, "x_bins", make_source(monkeypatch), PSEUDO)
    assert (summary.new, summary.duplicates) == (1, 0)
    assert store.collect.cursor("x_bins")[f"since_id:{QUERY}"] == "1860000000000000005"


def test_missing_token_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("X_BEARER_TOKEN", raising=False)
    with pytest.raises(CredentialError, match="X_BEARER_TOKEN is not set"):
        XSource("x_bins", XSourceConfig(type="x", queries=[QUERY]))


def test_read_budget_stops_collection_and_the_run_is_ok(monkeypatch: pytest.MonkeyPatch,
        store: Store, rsps: responses.RequestsMock, caplog: pytest.LogCaptureFixture) -> None:
    ten = [tweet(str(1860000000000000100 - i), f"post {i}", "11") for i in range(10)]
    rsps.get(SEARCH_URL, json=page(ten, [user("11", "a")], next_token="tok2"),
             match=[matchers.query_param_matcher({"max_results": "20"}, strict_match=False)])
    ten2 = [tweet(str(1860000000000000050 - i), f"older {i}", "11") for i in range(10)]
    rsps.get(SEARCH_URL, json=page(ten2, [user("11", "a")], next_token="tok3"),
             match=[matchers.query_param_matcher({"max_results": "10", "next_token": "tok2"},
                                                 strict_match=False)])
    source = make_source(monkeypatch, monthly_read_budget=20)
    summary = collect_source(store, "x_bins", source, PSEUDO)
    assert (summary.status, summary.new) == ("ok", 20)
    assert store.usage.reads_used("x_bins") == 20
    assert "budget" in caplog.text and "spent" in caplog.text
    # next run: nothing requested at all (responses would fail on an unregistered call)
    summary = collect_source(store, "x_bins", make_source(monkeypatch, monthly_read_budget=20),
                             PSEUDO)
    assert (summary.status, summary.pages) == ("ok", 0)
    assert store.collect.cursor("x_bins")[f"next_token:{QUERY}"] == "tok3"


def test_status_shows_reads_used_and_estimated_cost(store: Store) -> None:
    from listener.platforms.x.budget import x_budget_line

    cfg = XSourceConfig(type="x", queries=[QUERY], monthly_read_budget=1000,
                        cost_per_read_usd=0.005)
    store.usage.add_reads("x_bins", 250, "2026-11")
    store.usage.add_reads("x_bins", 40, "2026-11")
    store.usage.add_reads("x_bins", 999, "2026-10")
    line = x_budget_line("x_bins", cfg, store.usage, "2026-11")
    assert line == ("reads 2026-11: 290 of 1,000 (710 left); estimated cost $1.45 "
                    "at $0.005 per read")
    store.usage.add_reads("x_bins", 710, "2026-11")
    assert "spent" in x_budget_line("x_bins", cfg, store.usage, "2026-11")


def test_stale_next_token_and_too_old_since_id_are_dropped_with_a_warning(
        monkeypatch: pytest.MonkeyPatch, store: Store, rsps: responses.RequestsMock,
        caplog: pytest.LogCaptureFixture) -> None:
    stop = threading.Event()
    stop.set()
    rsps.get(SEARCH_URL, json=first_page())
    collect_source(store, "x_bins", make_source(monkeypatch), PSEUDO, stop=stop)
    # resumed weeks later: X refuses the token, then the since_id is no longer needed
    invalid = {"errors": [{"parameters": {"next_token": ["b26v89"]},
                           "message": "The `next_token` query parameter value is invalid"}],
               "title": "Invalid Request", "detail": "One or more parameters to your request "
               "was invalid.", "type": "https://api.twitter.com/2/problems/invalid-request"}
    rsps.get(SEARCH_URL, status=400, json=invalid,
             match=[matchers.query_param_matcher({"next_token": "b26v89c19zqg8o3fpds60ssjif02fq74"
                                                                "br3502of8hmrh"},
                                                 strict_match=False)])
    rsps.get(SEARCH_URL, json=page([tweet("1860000000000000099", "latest", "11")],
                                   [user("11", "a")]))
    summary = collect_source(store, "x_bins", make_source(monkeypatch), PSEUDO)
    assert (summary.status, summary.new) == ("ok", 1)
    assert "next_token" not in params_of(rsps.calls[-1])
    assert "refused the saved next_token" in caplog.text
    assert store.collect.cursor("x_bins")[f"since_id:{QUERY}"] == "1860000000000000099"


def test_monthly_usage_cap_fails_at_once_without_waiting(monkeypatch: pytest.MonkeyPatch,
                                                         store: Store,
                                                         rsps: responses.RequestsMock) -> None:
    sleeps: list[float] = []
    capped = {"account_id": 1234567, "product_name": "standard-basic",
              "title": "UsageCapExceeded", "period": "Monthly", "scope": "Product",
              "detail": "Usage cap exceeded: Monthly product cap",
              "type": "https://api.twitter.com/2/problems/usage-capped"}
    rsps.get(SEARCH_URL, status=429, json=capped, headers=rate_headers(0, reset_in=86400 * 9))
    summary = collect_source(store, "x_bins", make_source(monkeypatch, sleeps), PSEUDO)
    assert summary.status == "failed" and "UsageCapExceeded" in (summary.error or "")
    assert sleeps == [] and len(rsps.calls) == 1


def test_two_queries_keep_their_own_cursors_and_a_shared_post_is_one_post(
        monkeypatch: pytest.MonkeyPatch, store: Store, rsps: responses.RequestsMock) -> None:
    other = "(pothole OR potholes) lang:en"
    shared = tweet("1860000000000000005", "Pothole next to the overflowing bins", "11")
    rsps.get(SEARCH_URL, json=page([shared], [user("11", "a")]),
             match=[matchers.query_param_matcher({"query": QUERY}, strict_match=False)])
    rsps.get(SEARCH_URL, json=page([tweet("1860000000000000008", "Pothole", "12"), shared],
                                   [user("11", "a"), user("12", "b")]),
             match=[matchers.query_param_matcher({"query": other}, strict_match=False)])
    summary = collect_source(store, "x_bins",
                             make_source(monkeypatch, queries=[QUERY, other]), PSEUDO)
    assert (summary.pages, summary.new, summary.duplicates) == (2, 2, 1)
    matches = store.db.execute("SELECT p.native_id, m.query FROM post_matches m JOIN posts p"
                               " ON p.id = m.post_id ORDER BY m.query, p.native_id").fetchall()
    assert matches == [("1860000000000000005", QUERY), ("1860000000000000005", other),
                       ("1860000000000000008", other)]
    cursor = store.collect.cursor("x_bins")
    assert cursor[f"since_id:{QUERY}"] == "1860000000000000005"
    assert cursor[f"since_id:{other}"] == "1860000000000000008"

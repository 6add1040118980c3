"""Mastodon through Mastodon.py against recorded HTTP (``responses``)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import requests
import responses
from responses import matchers

from listener.pipeline import collect_source
from listener.platforms.mastodon.config import MastodonSourceConfig
from listener.platforms.mastodon.source import MastodonSource
from listener.privacy.pseudonym import Pseudonymiser
from listener.sources.errors import CredentialError
from storage import Store
from tests.listener.platforms.recorded.builders import (
    load,
    mastodon_headers,
    mastodon_page,
    mastodon_status,
    snowflake,
)

NOW = datetime(2026, 11, 25, 12, 0, 0, tzinfo=UTC)
TAG_URL = "https://{host}/api/v1/timelines/tag/potholes"


@pytest.fixture
def rsps():
    with responses.RequestsMock(assert_all_requests_are_fired=True) as mock:
        yield mock


def make_source(**overrides: Any) -> tuple[MastodonSource, list[float]]:
    settings: dict[str, Any] = {"type": "mastodon", "instances": ["mastodon.social"],
                                "hashtags": ["#potholes"], "page_size": 3,
                                "backfill_hours": 24}
    settings.update(overrides)
    source = MastodonSource("masto", MastodonSourceConfig(**settings))
    waits: list[float] = []
    source.sleep = waits.append
    source.clock = lambda: NOW
    return source, waits


def instance(rsps: responses.RequestsMock, host: str = "mastodon.social") -> None:
    body = load("mastodon_instance_v2.json")
    body["domain"] = host
    rsps.get(f"https://{host}/api/v2/instance/", json=body,
             headers=mastodon_headers(host))


def timeline(rsps: responses.RequestsMock, min_id: str, statuses: list[dict[str, Any]],
             host: str = "mastodon.social", **extra: Any) -> None:
    page = mastodon_page(statuses)
    links = (page[-1]["id"], page[0]["id"]) if page else None
    rsps.get(TAG_URL.format(host=host), json=page,
             headers=mastodon_headers(host, link_ids=links),
             match=[matchers.query_param_matcher({"min_id": min_id, "limit": "3"})], **extra)


def collect(store: Store, source: MastodonSource):
    return collect_source(store, "masto", source, Pseudonymiser(b"k" * 32))


def native_ids(store: Store) -> list[str]:
    return [r[0] for r in store.db.execute("SELECT native_id FROM posts ORDER BY native_id")]


def test_first_run_walks_forward_from_the_backfill_then_second_run_asks_only_for_new(
        store: Store, rsps: responses.RequestsMock) -> None:
    source, _ = make_source()
    start = snowflake(NOW - timedelta(hours=24))
    first = [mastodon_status(1001 + i, i) for i in range(3)]
    second = [mastodon_status(1004 + i, 3 + i) for i in range(2)]
    instance(rsps)
    timeline(rsps, start, first)
    timeline(rsps, "1003", second)
    timeline(rsps, "1005", [])
    summary = collect(store, source)
    assert summary.status == "ok", summary.error
    assert (summary.pages, summary.new) == (2, 5)
    assert store.collect.cursor("masto") == {"mastodon.social#potholes": "1005"}
    assert len(native_ids(store)) == 5

    rsps.reset()
    later = [mastodon_status(1006, 6)]
    instance(rsps)
    timeline(rsps, "1005", later)  # min_id = the saved cursor: only what is new
    timeline(rsps, "1006", [])
    summary = collect(store, source)
    assert (summary.status, summary.new, summary.duplicates) == ("ok", 1, 0)
    assert store.collect.cursor("masto") == {"mastodon.social#potholes": "1006"}


def test_a_status_seen_on_two_instances_and_on_two_pages_is_stored_once(
        store: Store, rsps: responses.RequestsMock) -> None:
    source, _ = make_source(instances=["mastodon.social", "mastodon.online"])
    start = snowflake(NOW - timedelta(hours=24))
    instance(rsps, "mastodon.social")
    instance(rsps, "mastodon.online")
    # mastodon.social: status 2 repeated at the boundary of two pages
    timeline(rsps, start, [mastodon_status(1001, 1), mastodon_status(1002, 2)])
    timeline(rsps, "1002", [mastodon_status(1002, 2), mastodon_status(1003, 3)])
    timeline(rsps, "1003", [])
    # mastodon.online federates statuses 2 and 3 under its own ids, same uri
    timeline(rsps, start, [mastodon_status(8802, 2), mastodon_status(8803, 3),
                           mastodon_status(8804, 4, origin="mastodon.online")],
             host="mastodon.online")
    timeline(rsps, "8804", [], host="mastodon.online")
    summary = collect(store, source)
    assert summary.status == "ok", summary.error
    assert summary.new == 4 and summary.duplicates == 3
    assert len(native_ids(store)) == 4
    assert store.collect.cursor("masto") == {"mastodon.social#potholes": "1003",
                                             "mastodon.online#potholes": "8804"}
    matches = store.db.execute("SELECT COUNT(*) FROM post_matches").fetchone()[0]
    assert matches == 4  # one match per post and query, however often it was seen


def test_a_malformed_status_is_quarantined_and_the_rest_of_its_page_stored(
        store: Store, rsps: responses.RequestsMock) -> None:
    source, _ = make_source(backfill_hours=0)
    bad = mastodon_status(2002, 2)
    bad["created_at"] = "yesterday-ish"
    del bad["account"]
    instance(rsps)
    timeline(rsps, snowflake(NOW), [mastodon_status(2001, 1), bad, mastodon_status(2003, 3)])
    timeline(rsps, "2003", [])
    summary = collect(store, source)
    assert (summary.status, summary.new, summary.quarantined) == ("ok", 2, 1)
    error, payload = store.db.execute("SELECT error, payload FROM quarantine").fetchone()
    assert "created_at" in error
    assert json.loads(payload)["created_at"] == "yesterday-ish"  # as the server sent it
    assert store.collect.cursor("masto") == {"mastodon.social#potholes": "2003"}


def test_timeouts_are_retried_a_bounded_number_of_times_then_the_run_fails(
        store: Store, rsps: responses.RequestsMock) -> None:
    source, waits = make_source(backfill_hours=0, max_attempts=3, timeout_seconds=7.5)
    instance(rsps)
    for _ in range(3):
        rsps.get(TAG_URL.format(host="mastodon.social"),
                 body=requests.exceptions.ReadTimeout("read timed out"))
    summary = collect(store, source)
    assert summary.status == "failed"
    assert "timed out" in (summary.error or "")
    assert len(waits) == 2
    run = store.runs.recent("masto")[0]
    assert run.status == "failed" and "mastodon.social" in (run.error or "")
    assert all(call.request.req_kwargs["timeout"] == 7.5 for call in rsps.calls)


def test_a_token_is_sent_only_to_its_own_instance(
        store: Store, rsps: responses.RequestsMock, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MASTO_SOCIAL_TOKEN", "token-for-mastodon-social")
    source, _ = make_source(instances=["mastodon.social", "mastodon.online"],
                            access_tokens={"mastodon.social": "MASTO_SOCIAL_TOKEN"},
                            backfill_hours=0)
    for host in ("mastodon.social", "mastodon.online"):
        instance(rsps, host)
        timeline(rsps, snowflake(NOW), [], host=host)
    assert collect(store, source).status == "ok"
    sent = {(c.request.url.split("/")[2], c.request.headers.get("Authorization"))
            for c in rsps.calls}
    assert ("mastodon.online", None) in sent
    assert ("mastodon.social", "Bearer token-for-mastodon-social") in sent


def test_a_missing_token_variable_is_named_at_construction(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MASTO_SOCIAL_TOKEN", raising=False)
    with pytest.raises(CredentialError, match="MASTO_SOCIAL_TOKEN"):
        make_source(access_tokens={"mastodon.social": "MASTO_SOCIAL_TOKEN"})


def test_one_instance_down_still_collects_the_others_then_fails_visibly(
        store: Store, rsps: responses.RequestsMock) -> None:
    source, _ = make_source(instances=["down.example", "mastodon.social"], max_attempts=2,
                            backfill_hours=0)
    instance(rsps, "down.example")
    for _ in range(2):
        rsps.get(TAG_URL.format(host="down.example"),
                 body=requests.exceptions.ConnectionError("connection refused"))
    instance(rsps)
    timeline(rsps, snowflake(NOW), [mastodon_status(2001, 1)])
    timeline(rsps, "2001", [])
    summary = collect(store, source)
    assert summary.status == "failed" and summary.new == 1
    assert "down.example" in (summary.error or "")
    assert store.collect.cursor("masto") == {"mastodon.social#potholes": "2001"}


def test_access_token_env_is_a_single_instance_shorthand() -> None:
    one = MastodonSourceConfig(type="mastodon", instances=["mastodon.social"],
                               hashtags=["nhs"], access_token_env="MASTO_TOKEN")
    assert one.credential_env() == {"access token for mastodon.social": "MASTO_TOKEN"}
    with pytest.raises(ValueError, match="single instance"):
        MastodonSourceConfig(type="mastodon", instances=["mastodon.social", "mastodon.online"],
                             hashtags=["nhs"], access_token_env="MASTO_TOKEN")
    with pytest.raises(ValueError, match="not in 'instances'"):
        MastodonSourceConfig(type="mastodon", instances=["mastodon.social"], hashtags=["nhs"],
                             access_tokens={"elsewhere.example": "MASTO_TOKEN"})


def test_max_pages_stops_a_run_and_the_next_run_continues_from_its_cursor(
        store: Store, rsps: responses.RequestsMock) -> None:
    source, _ = make_source(backfill_hours=0, max_pages=1)
    instance(rsps)
    timeline(rsps, snowflake(NOW), [mastodon_status(3001, 1), mastodon_status(3002, 2)])
    assert collect(store, source).pages == 1
    rsps.reset()
    instance(rsps)
    timeline(rsps, "3002", [mastodon_status(3003, 3)])
    summary = collect(store, source)
    assert (summary.pages, summary.new) == (1, 1)
    assert store.collect.cursor("masto") == {"mastodon.social#potholes": "3003"}


def test_a_status_that_federates_late_is_caught_by_the_lookback(
        store: Store, rsps: responses.RequestsMock) -> None:
    # Mastodon ids a federated status by its publication time, not its arrival
    def sid(minutes_ago: int, n: int) -> int:
        return int(snowflake(NOW - timedelta(minutes=minutes_ago))) + n

    source, _ = make_source(backfill_hours=1, lookback_minutes=15)
    instance(rsps)
    timeline(rsps, snowflake(NOW - timedelta(hours=1)),
             [mastodon_status(sid(10, 1), 1), mastodon_status(sid(5, 1), 2)])
    timeline(rsps, str(sid(5, 1)), [])
    assert collect(store, source).new == 2
    cursor = store.collect.cursor("masto")["mastodon.social#potholes"]
    assert cursor == str(sid(5, 1))

    rsps.reset()  # a status published 7 minutes ago arrives only now
    instance(rsps)
    timeline(rsps, str(sid(20, 1)), [mastodon_status(sid(10, 1), 1),
                                     mastodon_status(sid(7, 2), 3),
                                     mastodon_status(sid(5, 1), 2)])
    timeline(rsps, cursor, [])
    summary = collect(store, source)
    assert (summary.new, summary.duplicates) == (1, 2)
    assert store.collect.cursor("masto")["mastodon.social#potholes"] == cursor

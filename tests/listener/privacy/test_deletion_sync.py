"""Platform deletion sync through the real client libraries against recorded
HTTP: exactly the posts the responses mark deleted or private are removed
(on both backends: the folder's ``store``)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
import responses
import respx
import time_machine
from responses import matchers

from listener.config import Settings, parse_settings
from listener.privacy.deletion_sync import sync_deletions
from storage import Store

from .conftest import KEY, dead_rows, fts_hits, make_post, save, set_time, storage_section

FIX = Path(__file__).parent / "fixtures"
NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)

CONFIG = """
sources:
  x_council: {type: x, enabled: false, queries: [bins], bearer_token_env: TEST_X_TOKEN}
  reddit_local: {type: reddit, enabled: false, subreddits: [uk],
                 client_id_env: TEST_REDDIT_ID, client_secret_env: TEST_REDDIT_SECRET}
"""

X_IDS = ["1836201122334455001", "1836201122334455002", "1836201122334455003"]
REDDIT = ["t3_1fk2ab0", "t3_1fk2ab1", "t1_lnv0x01", "t3_1fk2ab9"]
MASTO = ["https://mastodon.example.uk/users/hedgerow/statuses/113201450012345678",
         "https://mastodon.example.uk/users/hedgerow/statuses/113201450012345679",
         "https://other.example/users/ann/statuses/5", "https://misskey.example/notes/9xyz"]
BSKY = ["at://did:plc:4xq2example7n3k5m2ab/app.bsky.feed.post/3l7abcxyz2k2a",
        "at://did:plc:4xq2example7n3k5m2ab/app.bsky.feed.post/3l7abcxyz2k2b"]


@pytest.fixture
def sync_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                  request: pytest.FixtureRequest) -> Settings:
    monkeypatch.setenv("CIVIC_LISTENER_PSEUDONYM_KEY", KEY)
    monkeypatch.setenv("TEST_X_TOKEN", "recorded-bearer")
    monkeypatch.setenv("TEST_REDDIT_ID", "recorded-id")
    monkeypatch.setenv("TEST_REDDIT_SECRET", "recorded-secret")
    path = tmp_path / "config.yaml"
    text = storage_section(request, monkeypatch) + CONFIG
    path.write_text(text)
    return parse_settings(text, str(path), check_credentials=False)


# what the X posts reference (``post_refs``): a reply to a post not stored,
# a quote and a retweet of the first
X_REFS = [("replied_to", "999"), ("quoted", X_IDS[0]), ("retweeted", X_IDS[0])]


def _stored(store: Store) -> None:
    save(store, [make_post(i, f"tweet {i}").but(refs=(ref,)) for i, ref in zip(
                     X_IDS, X_REFS, strict=True)]
         + [make_post(n, f"reddit {n}", platform="reddit", handle="r") for n in REDDIT]
         + [make_post(u, f"toot {u}", platform="mastodon", handle="h@m") for u in MASTO]
         + [make_post(u, f"skeet {u}", platform="bluesky", handle="b") for u in BSKY]
         + [make_post("https://news.example/1", "council news", platform="rss", handle=None)])
    set_time(store, "posts", "collected_at", "2026-11-24T12:00:00+00:00")


def _native_ids(store: Store) -> set[str]:
    return {r[0] for r in store.sql.execute("SELECT native_id FROM posts")}


@responses.activate
def test_sync_removes_exactly_the_posts_marked_deleted(
        sync_settings: Settings, store: Store) -> None:
    _stored(store)
    assert fts_hits(store, "tweet") == 3
    x_call = responses.get(
        "https://api.twitter.com/2/tweets",
        json=json.loads((FIX / "x_get_tweets.json").read_text()),
        match=[matchers.query_param_matcher({"ids": ",".join(X_IDS)}, strict_match=False),
               matchers.header_matcher({"Authorization": "Bearer recorded-bearer"})])
    responses.post("https://www.reddit.com/api/v1/access_token",
                   json={"access_token": "recorded-token", "token_type": "bearer",
                         "expires_in": 86400, "scope": "*"})
    reddit_call = responses.get(
        "https://oauth.reddit.com/api/info/",
        json=json.loads((FIX / "reddit_info.json").read_text()),
        match=[matchers.query_param_matcher({"id": ",".join(REDDIT)}, strict_match=False)])
    status = json.loads((FIX / "mastodon_status.json").read_text())
    responses.get("https://mastodon.example.uk/api/v1/statuses/113201450012345678", json=status)
    responses.get("https://mastodon.example.uk/api/v1/statuses/113201450012345679",
                  json={"error": "Record not found"}, status=404)
    responses.get("https://other.example/api/v1/statuses/5", json={"error": "Gone"}, status=410)

    with respx.mock(assert_all_called=True) as bsky:
        route = bsky.get("https://public.api.bsky.app/xrpc/app.bsky.feed.getPosts").mock(
            return_value=httpx.Response(200, json=json.loads(
                (FIX / "bluesky_get_posts.json").read_text())))
        results = sync_deletions(sync_settings, store, now=NOW)

    assert x_call.call_count == 1 and reddit_call.call_count == 1
    assert sorted(route.calls[0].request.url.params.get_list("uris")) == sorted(BSKY)
    assert _native_ids(store) == {
        X_IDS[0], "t3_1fk2ab0", MASTO[0], MASTO[3], BSKY[0], "https://news.example/1"}
    assert (results["x"].gone, results["x"].present) == (2, 1)
    assert (results["reddit"].gone, results["reddit"].present) == (3, 1)  # deleted, removed, absent
    assert (results["mastodon"].gone, results["mastodon"].uncheckable) == (2, 1)
    assert (results["bluesky"].gone, results["bluesky"].present) == (1, 1)
    assert "rss" not in results  # nothing to ask
    assert results["x"].removed["raw_payloads"] == 2 and results["x"].removed["labels"] == 2
    assert results["x"].removed["post_refs"] == 2  # the quote's and the retweet's, no orphan
    assert store.sql.execute("SELECT p.native_id, r.kind, r.ref_id FROM post_refs r"
                             " LEFT JOIN posts p ON p.id = r.post_id").fetchall() == [
        (X_IDS[0], "replied_to", "999")]
    assert fts_hits(store, "tweet") == 1 and store.rollups.check() == []
    if store.backend == "postgresql":  # the sync's compact(): VACUUM after the commit
        for table in ("posts", "raw_payloads", "labels", "post_matches"):
            assert dead_rows(store, table) == 0, table
    checked = dict(store.sql.execute("SELECT native_id, checked_at FROM posts").fetchall())
    assert checked["https://news.example/1"] is None
    assert {v for k, v in checked.items() if k != "https://news.example/1"} == {
        "2026-11-25T12:00:00+00:00"}
    # a second run the same day asks nothing: every post was checked just now
    again = sync_deletions(sync_settings, store, now=NOW)
    assert all(r.asked == 0 for r in again.values())


@responses.activate
def test_a_failing_platform_leaves_its_posts_due(sync_settings: Settings, store: Store) -> None:
    save(store, [make_post(i, f"tweet {i}") for i in X_IDS])
    responses.get("https://api.twitter.com/2/tweets", status=429,
                  json={"title": "Too Many Requests", "detail": "Too Many Requests", "status": 429},
                  headers={"x-rate-limit-reset": "1764072000"})
    result = sync_deletions(sync_settings, store, now=NOW)["x"]
    assert result.asked == 0 and result.error is not None and "TooManyRequests" in result.error
    assert _native_ids(store) == set(X_IDS)
    assert store.sql.execute("SELECT count(*) FROM posts WHERE checked_at IS NULL"
                             ).fetchone()[0] == 3


def test_schedule_policy_orders_and_limits(sync_settings: Settings, store: Store) -> None:
    """Never-checked posts first (oldest collected first), then the least
    recently checked past recheck_days; at most max_posts_per_run; and posts
    still unchecked 7 days after collection are reported overdue."""
    ids = save(store, [make_post(str(n), f"t{n}") for n in range(1, 6)])
    for pid, collected, checked in zip(ids, ["2026-11-10", "2026-11-20", "2026-11-01",
                                             "2026-11-01", "2026-11-24"],
                                       [None, None, "2026-10-01", "2026-11-20", None],
                                       strict=True):
        set_time(store, "posts", "collected_at", collected + "T00:00:00+00:00", f"id = {pid}")
        if checked:
            set_time(store, "posts", "checked_at", checked + "T00:00:00+00:00", f"id = {pid}")
    due = store.deletion_checks.due("x", collected_after="2025-10-01T00:00:00+00:00",
                                    checked_before="2026-10-26T00:00:00+00:00", limit=10)
    assert [d[0] for d in due] == [ids[0], ids[1], ids[4], ids[2]]
    assert len(store.deletion_checks.due("x", collected_after="2025-10-01T00:00:00+00:00",
                                         checked_before="2026-10-26T00:00:00+00:00",
                                         limit=2)) == 2
    assert store.deletion_checks.overdue_first_checks("x", "2026-11-18T12:00:00+00:00") == 1


@responses.activate
def test_x_rechecks_count_against_the_read_budget_and_stop_when_spent(
        sync_settings: Settings, store: Store) -> None:
    save(store, [make_post(i, f"tweet {i}") for i in X_IDS])
    call = responses.get("https://api.twitter.com/2/tweets",
                         json=json.loads((FIX / "x_get_tweets.json").read_text()))
    budget = sync_settings.sources["x_council"].monthly_read_budget  # type: ignore[union-attr]
    store.usage.add_reads("x_council", budget - 5, "2026-11")

    first = sync_deletions(sync_settings, store, now=NOW)["x"]
    assert (first.asked, first.present) == (3, 1)
    assert store.usage.reads_used("x_council", "2026-11") == budget - 4  # the one tweet returned

    store.usage.add_reads("x_council", 4, "2026-11")  # collection spent the rest
    set_time(store, "posts", "checked_at", None)
    spent = sync_deletions(sync_settings, store, now=NOW)["x"]
    assert spent.asked == 0 and call.call_count == 1
    assert spent.error is not None and "0 reads left" in spent.error


@responses.activate
def test_the_service_housekeeping_job_runs_the_sync_after_the_purge(
        sync_settings: Settings, store: Store) -> None:
    from listener.service.tasks import housekeeping

    responses.get("https://mastodon.example.uk/api/v1/statuses/113201450012345679",
                  json={"error": "Record not found"}, status=404)
    # the clock pinned a few days after the posts: the toot is within retention
    # (so only the sync can remove it), the 2024 post is past it
    with time_machine.travel(NOW, tick=False):
        save(store, [make_post(MASTO[1], "toot", platform="mastodon", handle="h@m"),
                     make_post("old", "expired", created=datetime(2024, 1, 1, tzinfo=UTC))])
        housekeeping(sync_settings, store)
        assert _native_ids(store) == set()
        sync_settings.privacy.deletion_sync.enabled = False
        save(store, [make_post(MASTO[1], "toot", platform="mastodon", handle="h@m")])
        housekeeping(sync_settings, store)  # sync off: kept, though the platform answers 404
        assert _native_ids(store) == {MASTO[1]}


def test_sample_posts_are_never_asked_about(sync_settings: Settings, store: Store) -> None:
    """The sample's posts are synthetic: the public AppView would not know
    them and the sync would wrongly delete them."""
    save(store, [make_post(BSKY[0], "synthetic skeet", platform="bluesky", handle="b")],
         source="sample")
    save(store, [make_post(BSKY[1], "real skeet", platform="bluesky", handle="c")],
         source="bluesky_search")
    with respx.mock(assert_all_called=True) as bsky:
        route = bsky.get("https://public.api.bsky.app/xrpc/app.bsky.feed.getPosts").mock(
            return_value=httpx.Response(200, json={"posts": []}))
        result = sync_deletions(sync_settings, store, now=NOW)["bluesky"]
    assert route.calls[0].request.url.params.get_list("uris") == [BSKY[1]]
    assert (result.asked, result.gone) == (1, 1)
    assert _native_ids(store) == {BSKY[0]}


def test_skip_platforms_is_honoured_and_checked_in_config(sync_settings: Settings,
                                                          store: Store) -> None:
    from listener.config import ConfigError

    save(store, [make_post(X_IDS[0], "tweet")])
    sync_settings.privacy.deletion_sync.skip_platforms = ["x"]
    assert sync_deletions(sync_settings, store, now=NOW) == {}  # no HTTP: responses not active
    with pytest.raises(ConfigError) as bad:
        parse_settings("privacy: {deletion_sync: {skip_platforms: [twitter]}}\n", "c.yaml",
                       check_credentials=False)
    assert "skip_platforms" in str(bad.value.problems[0])

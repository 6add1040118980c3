"""Erasure and objection: every trace of an author (or one post) leaves the
database file, down to its bytes, and later collection drops them. On both
backends (``store`` here is ``any_store``); PostgreSQL's "no trace" is what
SQL can show: no row, no tsvector match, no dead tuple after VACUUM
(docs/privacy.md says what it cannot show)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest

from listener.config import Settings
from listener.privacy.forget import ForgetError, forget_author, forget_url, names_handle
from storage import Quarantined, Store, StoredItem

from .conftest import count, dead_rows, fts_hits, make_post, pseudonymiser, save

SECRET_TEXT = "Flibbertigibbet wobblesnark at the Quennell Road surgery"


def _file_bytes(store: Store, path: Path) -> bytes:
    store.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = path.read_bytes()
    for suffix in ("-wal", "-shm", "-journal"):
        extra = Path(str(path) + suffix)
        if extra.exists():
            data += extra.read_bytes()
    return data


def _ref(native_id: str, text: str, kind: str, ref_text: str) -> dict[str, Any]:
    """An X item referencing tweet 100 (``kind``: retweeted, quoted, replied_to)."""
    return {"tweet": {"id": native_id, "text": text,
                      "referenced_tweets": [{"type": kind, "id": "100"}]},
            "includes": {"tweets": [{"id": "100", "text": ref_text}]}}


def _population(store: Store) -> None:
    original = SECRET_TEXT + " again, third time"
    save(store, [
        make_post("100", original, handle="Marsh_Lane_Mum"),
        make_post("101", "Wobblesnark queue at the GP this morning", handle="marsh_lane_mum"),
        make_post("200", "Bins on Elm Row not collected", handle="neighbour"),
        # a retweet by someone else: its text is the erased author's words
        make_post("201", original, handle="retweeter").but(refs=(("retweeted", "100"),)),
        # a quote by someone else: their own words, but the raw payload holds the original
        make_post("202", "This is exactly what happened to us too", handle="quoter"
                  ).but(refs=(("quoted", "100"),)),
    ], quarantined=[
        Quarantined("x", "missing text", {"tweet": {"id": "102"},
                                          "includes": {"users": [{"username": "Marsh_Lane_Mum"}]}}),
        Quarantined("x", "missing text", {"tweet": {"id": "202"},
                                          "includes": {"users": [{"username": "neighbour"}]}}),
    ], raws={
        "201": _ref("201", "RT @Marsh_Lane_Mum: " + original, "retweeted", original),
        "202": _ref("202", "This is exactly what happened to us too", "quoted", original),
    })
    # the same words written independently (not a retweet) are someone else's post
    save(store, [make_post("300", original, handle="coincidence")])


def test_forget_author_removes_every_trace_to_the_bytes(
        settings: Settings, store: Store, caplog: pytest.LogCaptureFixture, fts_way: str
) -> None:
    _population(store)
    key = pseudonymiser().pseudonym("x", "marsh_lane_mum")
    path = settings.database_path
    sqlite = store.backend == "sqlite"
    if sqlite:
        raw = _file_bytes(store, path)
        assert b"Flibbertigibbet" in raw and key.encode() in raw  # the test can fail
    assert fts_hits(store, "wobblesnark") == 4  # theirs, the retweet, the coincidence

    with caplog.at_level(logging.INFO):
        report = forget_author(settings, store, "x", "@Marsh_Lane_Mum")

    assert report.counts["posts"] == 3 and report.counts["retweets_of_them"] == 1
    assert report.counts["raw_payloads_quoting_them"] == 1
    assert report.counts["quarantine"] == 1 and report.counts["blocked_authors"] == 1
    assert [r[0] for r in store.sql.execute("SELECT native_id FROM posts ORDER BY id")] == [
        "200", "202", "300"]
    for table in ("post_matches", "labels", "label_state"):
        assert count(store, table) == 3, table
    assert count(store, "raw_payloads") == 2  # the quote's raw payload went
    # the independent post with the same words is not theirs: delete it by hand
    # to search the file for the erased words below
    forget_url(settings, store, "https://x.com/coincidence/status/300")
    assert count(store, "quarantine") == 1
    assert fts_hits(store, "wobblesnark") == 0 and fts_hits(store, "flibbertigibbet") == 0
    # every text column of every table, then the raw bytes of the file and its WAL
    for table in store.tables():
        for row in store.sql.execute(f'SELECT * FROM "{table}"'):
            flat = " ".join(str(v) for v in row).lower()
            if table != "blocked_authors":
                assert key not in flat, table
            assert "wobblesnark" not in flat and "marsh_lane_mum" not in flat, table
    assert store.rollups.check() == []
    if not sqlite:
        # VACUUMed after each erasure's commit: the deleted rows' old
        # versions are gone from the heap and the indexes
        for table in ("posts", "raw_payloads", "labels", "post_matches", "quarantine",
                      "conversations", "lookups"):
            assert dead_rows(store, table) == 0, table
        logged = caplog.text.lower()
        assert "marsh_lane_mum" not in logged and key not in logged and key[:8] in logged
        return
    after = _file_bytes(store, path).lower()
    assert b"wobblesnark" not in after and b"flibbertigibbet" not in after
    assert b"marsh_lane_mum" not in after
    assert key.encode() in after  # the block-list entry (its row and its key index)...
    with store.db.conn:
        store.db.conn.execute("DELETE FROM blocked_authors")
    assert key.encode() not in _file_bytes(store, path)  # ...and nothing else
    # the log names neither the handle nor the whole pseudonym
    logged = caplog.text.lower()
    assert "marsh_lane_mum" not in logged and key not in logged and key[:8] in logged


def test_forget_author_blocks_later_collection(settings: Settings, store: Store) -> None:
    _population(store)
    forget_author(settings, store, "x", "marsh_lane_mum")
    run = store.runs.start("src")
    post = make_post("103", "Back again about the zanzibarquix", handle="MARSH_LANE_MUM")
    result = store.collect.save_page(source="src", run_id=run, items=[StoredItem(post, {})])
    assert result.blocked == 1 and result.new == 0
    assert fts_hits(store, "zanzibarquix") == 0


def test_forget_author_leaves_other_platforms_alone(settings: Settings, store: Store) -> None:
    save(store, [make_post("m1", "same handle elsewhere", platform="mastodon",
                           handle="marsh_lane_mum", url="https://m.example/@a/1")])
    report = forget_author(settings, store, "x", "marsh_lane_mum")
    assert report.counts["posts"] == 0 and count(store, "posts") == 1


def test_forget_url_removes_one_post_and_blocks_it(settings: Settings, store: Store) -> None:
    _population(store)
    report = forget_url(settings, store, "https://twitter.com/neighbour/status/200?s=20")
    assert report.counts["posts"] == 1 and report.counts["blocked_posts"] == 1
    assert count(store, "posts") == 5 and fts_hits(store, "elm") == 0
    run = store.runs.start("src")
    same = make_post("200", "Bins on Elm Row", handle="x2")
    again = store.collect.save_page(source="src", run_id=run, items=[StoredItem(same, {})])
    assert again.blocked == 1 and count(store, "posts") == 5


def test_forget_url_by_stored_url_and_by_native_id_forms(settings: Settings, store: Store) -> None:
    save(store, [
        make_post("t3_abc12", "reddit post", platform="reddit", handle="r1",
                  url="https://www.reddit.com/r/x/comments/abc12/title/"),
        make_post("at://did:plc:zz/app.bsky.feed.post/3kabc", "bluesky post", platform="bluesky",
                  handle="b.bsky.social", url="https://bsky.app/profile/b.bsky.social/post/3kabc"),
        make_post("https://m.example/users/ann/statuses/42", "toot", platform="mastodon",
                  handle="ann@m.example", url="https://m.example/@ann/42"),
    ])
    reddit = "https://old.reddit.com/r/x/comments/abc12/"
    assert forget_url(settings, store, reddit).counts["posts"] == 1
    assert forget_url(settings, store, "https://bsky.app/profile/did:plc:zz/post/3kabc"
                      ).counts["posts"] == 1
    assert forget_url(settings, store, "https://m.example/@ann/42").counts["posts"] == 1
    assert count(store, "posts") == 0


def test_forget_url_not_stored_still_blocks_future_collection(settings: Settings,
                                                              store: Store) -> None:
    report = forget_url(settings, store, "https://x.com/a/status/777")
    assert report.counts.get("posts", 0) == 0 and report.counts["blocked_posts"] == 1
    run = store.runs.start("src")
    res = store.collect.save_page(source="src", run_id=run,
                                  items=[StoredItem(make_post("777", "t"), {})])
    assert res.blocked == 1


def test_unknown_platform_is_refused(settings: Settings, store: Store) -> None:
    with pytest.raises(ForgetError):
        forget_author(settings, store, "myspace", "tom")


def test_quarantine_match_is_on_handle_values_not_on_text() -> None:
    assert names_handle("x", '{"includes": {"users": [{"username": "Ann"}]}}', "@ann")
    assert not names_handle("x", '{"tweet": {"text": "hello ann and bob"}}', "ann")
    assert names_handle("mastodon", '{"account": {"acct": "ann", "url": "https://m.ex/@ann"}}',
                        "ann@m.ex")
    assert names_handle("x", 'not json "ann" here', "ann")


def test_forget_during_key_rotation_finds_posts_under_the_previous_key(
        settings: Settings, store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    from listener.privacy.pseudonym import Pseudonymiser
    from storage import Post

    old_key = "the-previous-key-0123456789abcdef"
    old = Pseudonymiser(old_key.encode())
    from datetime import UTC, datetime
    before = old.apply(Post("x", "900", "stored before the rotation",
                            datetime(2026, 11, 1, tzinfo=UTC), author_handle="rotated_person"))
    save(store, [before, make_post("901", "stored after the rotation", handle="rotated_person")])
    assert forget_author(settings, store, "x", "rotated_person").counts["posts"] == 1
    assert count(store, "posts") == 1  # the old pseudonym is not found without the old key

    monkeypatch.setenv("OLD_PSEUDONYM_KEY", old_key)
    settings.privacy.previous_key_env = "OLD_PSEUDONYM_KEY"
    report = forget_author(settings, store, "x", "rotated_person")
    assert report.counts["posts"] == 1 and count(store, "posts") == 0
    assert count(store, "blocked_authors") == 2  # blocked under both keys


def test_reddit_handle_written_with_u_prefix(settings: Settings, store: Store) -> None:
    save(store, [make_post("t3_zz1", "a reddit post", platform="reddit", handle="Some_Redditor",
                           url="https://www.reddit.com/r/x/comments/zz1/t/")])
    assert forget_author(settings, store, "reddit", "/u/some_redditor").counts["posts"] == 1

"""``post_refs``: the posts an X post references (retweeted, quoted,
replied_to), written with the post and kept as long as it is, so that
erasing an author finds the retweets of their posts after the raw payloads
have gone (raw retention). On both backends (``store`` is ``any_store``)."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

from listener.config import Settings
from listener.pipeline import normalise_page
from listener.platforms.x.split import split_page
from listener.privacy.forget import forget_author
from listener.privacy.retention import purge
from listener.sources.base import Page
from storage import Store, StoredItem, migrations, pg_migrations

from .conftest import count, fts_hits, make_post, pseudonymiser, save, set_time

NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)
WORDS = "Glimmerwick flooding on Tanner Street again"


def _tweet(native_id: str, author: str, text: str, *refs: tuple[str, str]) -> dict[str, Any]:
    tweet: dict[str, Any] = {"id": native_id, "author_id": author, "text": text,
                             "created_at": "2026-11-20T12:00:00.000Z",
                             "public_metrics": {"like_count": 1}}
    if refs:
        tweet["referenced_tweets"] = [{"type": kind, "id": ref} for kind, ref in refs]
    return tweet


def _page() -> dict[str, Any]:
    """A search page as X sends it: an original (100), a retweet, a quote and
    a reply of it, and a quote that is also a reply (to the reply)."""
    return {
        "data": [
            _tweet("100", "1", WORDS),
            _tweet("201", "2", "RT @orig_author: " + WORDS, ("retweeted", "100")),
            _tweet("202", "3", "So true", ("quoted", "100")),
            _tweet("203", "4", "@orig_author agreed", ("replied_to", "100")),
            _tweet("204", "5", "Both of you", ("quoted", "100"), ("replied_to", "203")),
        ],
        "includes": {
            "users": [{"id": str(n), "username": name} for n, name in enumerate(
                ["orig_author", "retweeter", "quoter", "replier", "both"], start=1)],
            "tweets": [{"id": "100", "author_id": "1", "text": WORDS}],
        },
    }


def _store_page(store: Store, body: dict[str, Any]) -> Any:
    """The page as collection stores it: split, normalised by the X
    normaliser, pseudonymised, saved in one transaction."""
    items, bad = normalise_page(Page("x", split_page(body)), pseudonymiser(), NOW)
    assert bad == []
    run = store.runs.start("x_search")
    result = store.collect.save_page(source="x_search", run_id=run, items=items, query="q")
    store.runs.finish(run, "ok")
    return result


def _refs(store: Store) -> set[tuple[str, str, str]]:
    """(referencing post's native id, kind, referenced native id)."""
    return {(str(r[0]), str(r[1]), str(r[2])) for r in store.sql.execute(
        "SELECT p.native_id, r.kind, r.ref_id FROM post_refs r JOIN posts p ON p.id = r.post_id")}


def _orphan_refs(store: Store) -> int:
    if store.backend == "sqlite":
        assert store.sql.execute("PRAGMA foreign_key_check(post_refs)").fetchall() == []
    return int(store.sql.execute(
        "SELECT count(*) FROM post_refs WHERE post_id NOT IN (SELECT id FROM posts)"
    ).fetchone()[0])


EXPECTED = {("201", "retweeted", "100"), ("202", "quoted", "100"), ("203", "replied_to", "100"),
            ("204", "quoted", "100"), ("204", "replied_to", "203")}


def test_storing_a_page_keeps_each_references_once(store: Store) -> None:
    body = _page()
    assert _store_page(store, body).new == 5
    assert _refs(store) == EXPECTED

    again = _store_page(store, body)  # the same page: nothing changes
    assert (again.new, again.duplicates, again.updated) == (0, 5, 0)
    # a later page with the same tweets, their counts grown: stored again
    grown = copy.deepcopy(body)
    for tweet in grown["data"]:
        tweet["public_metrics"]["like_count"] = 7
    assert _store_page(store, grown).updated == 5
    assert count(store, "post_refs") == len(EXPECTED) and _refs(store) == EXPECTED


def _forget_after_raw_retention(settings: Settings, store: Store) -> dict[str, int]:
    _store_page(store, _page())
    # the raw payloads were collected longer ago than raw_retention_days (30)
    set_time(store, "raw_payloads", "retrieved_at", "2026-10-01T00:00:00+00:00")
    assert purge(settings, store, now=NOW).counts["raw_payloads"] == 5
    assert count(store, "raw_payloads") == 0 and count(store, "posts") == 5
    assert fts_hits(store, "glimmerwick") == 2  # the original and the retweet
    return forget_author(settings, store, "x", "@orig_author").counts


def test_forget_finds_a_retweet_whose_raw_payload_is_gone(settings: Settings,
                                                          store: Store) -> None:
    counts = _forget_after_raw_retention(settings, store)

    assert counts["posts"] == 2 and counts["retweets_of_them"] == 1
    assert fts_hits(store, "glimmerwick") == 0
    # quotes and replies are their authors' own words: only their raw payloads
    # (holding the original) would go, and those are gone already
    assert counts["raw_payloads_quoting_them"] == 0
    assert sorted(str(r[0]) for r in store.sql.execute("SELECT native_id FROM posts")) == [
        "202", "203", "204"]
    assert _refs(store) == {("202", "quoted", "100"), ("203", "replied_to", "100"),
                            ("204", "quoted", "100"), ("204", "replied_to", "203")}
    assert _orphan_refs(store) == 0
    assert store.rollups.check() == []


def test_forget_deletes_the_raw_payloads_of_quotes_and_replies_while_kept(
        settings: Settings, store: Store) -> None:
    _store_page(store, _page())
    counts = forget_author(settings, store, "x", "orig_author").counts
    assert counts["posts"] == 2 and counts["retweets_of_them"] == 1  # 100 and 201
    assert counts["raw_payloads_quoting_them"] == 3  # 202, 203, 204
    assert count(store, "raw_payloads") == 0 and count(store, "posts") == 3
    # the reply's author: its quote-and-reply (204) loses its raw payload too
    assert _orphan_refs(store) == 0


def test_purge_and_forget_leave_no_post_refs_behind(settings: Settings, store: Store) -> None:
    _store_page(store, _page())
    old = make_post("300", "an old retweet", created=datetime(2025, 9, 1, tzinfo=UTC))
    save(store, [old.but(refs=(("retweeted", "100"),))])
    assert count(store, "post_refs") == len(EXPECTED) + 1

    assert purge(settings, store, now=NOW).counts["post_refs"] == 1  # past retention
    assert _orphan_refs(store) == 0 and count(store, "post_refs") == len(EXPECTED)
    counts = forget_author(settings, store, "x", "replier").counts  # 203, and 204's reply to it
    assert counts["posts"] == 1 and counts["post_refs"] == 1
    assert _orphan_refs(store) == 0
    assert ("204", "replied_to", "203") in _refs(store)  # 204 is someone else's, and stays


def test_the_migration_fills_post_refs_from_the_raw_payloads_kept(store: Store) -> None:
    """A database made before m210 (its table and its record removed again),
    holding X posts stored without ``Post.refs``: the migration reads the
    references from the raw payloads still kept."""
    items, _ = normalise_page(Page("x", split_page(_page())), pseudonymiser(), NOW)
    run = store.runs.start("x_search")
    store.collect.save_page(source="x_search", run_id=run,
                            items=[StoredItem(i.post.but(refs=()), i.raw, i.raw_json)
                                   for i in items])
    # a payload with a malformed reference, and another platform's payload
    # that happens to carry the key: neither is an X reference
    save(store, [make_post("205", "odd"),
                 make_post("m1", "toot", platform="mastodon", url="https://m.example/@a/1")],
         raws={"205": {"tweet": {"id": "205", "referenced_tweets": [
                   "100", {"type": "quoted"}, {"type": "retweeted", "id": 100}]}},
               "m1": {"tweet": {"referenced_tweets": [{"type": "quoted", "id": "100"}]}}})
    assert count(store, "post_refs") == 0
    with store.sql.transaction():
        store.sql.execute("DROP TABLE post_refs")
        if store.backend == "sqlite":
            store.sql.execute("DELETE FROM _sqlite_migrations WHERE name = 'm210_post_refs'")
        else:
            store.sql.execute("DELETE FROM _pg_migrations WHERE name = 'm210_post_refs'")
    if store.backend == "sqlite":
        migrations.apply(store.db)
    else:
        assert pg_migrations.apply(store.sql) == ["m210_post_refs"]

    assert _refs(store) == EXPECTED | {("205", "retweeted", "100")}
    assert _orphan_refs(store) == 0

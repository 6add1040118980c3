"""The conversation model: threads, reply parents in either arrival order,
and voice (own / to_us / about_us), kept in the page's transaction; on both
backends (``any_store``), but erasure and the label export (SQLite only yet)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from storage import Post, StorageError, Store, StoredItem
from storage.erasure import erased_thread

T = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def own(native: str, **kw: Any) -> Post:
    return Post("x", native, f"council post {native}", T, author_handle="ExampleCouncil",
                author_official=True, author_key="k-own", **kw)


def resident(native: str, **kw: Any) -> Post:
    return Post("x", native, f"resident post {native}", T, author_key=f"k-{native}", **kw)


def put(store: Store, *posts: Post) -> None:
    run = store.runs.start("t")
    store.collect.save_page(source="t", run_id=run,
                            items=[StoredItem(p, {"id": p.native_id}) for p in posts])


def rows(store: Store) -> dict[str, dict[str, Any]]:
    out = {}
    for native, thread, parent, parent_native, voice, addressed in store.sql.execute(
            "SELECT p.native_id, c.thread, q.native_id, c.parent_native, c.voice, c.addressed"
            " FROM conversations c JOIN posts p ON p.id = c.post_id"
            " LEFT JOIN posts q ON q.id = c.parent_id"):
        out[native] = {"thread": thread, "parent": parent, "parent_native": parent_native,
                       "voice": voice, "addressed": bool(addressed)}
    return out


def test_reply_after_its_parent_is_linked_and_addressed_to_us(any_store: Store) -> None:
    store = any_store
    put(store, own("1"))
    put(store, resident("2", in_reply_to="1"))
    got = rows(store)
    assert got["1"]["voice"] == "own"
    assert got["2"] == {"thread": "1", "parent": "1", "parent_native": "1", "voice": "to_us",
                        "addressed": False}


def test_replies_before_their_parents_are_adopted_when_the_parents_arrive(any_store: Store) -> None:
    store = any_store
    put(store, resident("3", in_reply_to="2"))  # a reply to a reply, both before the root
    assert rows(store)["3"] == {"thread": "2", "parent": None, "parent_native": "2",
                                "voice": "about_us", "addressed": False}
    put(store, resident("2", in_reply_to="1"))
    put(store, own("1"))
    got = rows(store)
    assert {n: r["thread"] for n, r in got.items()} == {"1": "1", "2": "1", "3": "1"}
    assert got["2"]["parent"] == "1" and got["3"]["parent"] == "2"
    # a direct reply to the body is to_us; a reply to a resident in its thread is not
    assert (got["2"]["voice"], got["3"]["voice"]) == ("to_us", "about_us")


def test_a_chain_inside_one_page_resolves_in_any_order(any_store: Store) -> None:
    store = any_store
    put(store, resident("3", in_reply_to="2"), resident("2", in_reply_to="1"), own("1"))
    got = rows(store)
    assert {n: (r["thread"], r["parent"], r["voice"]) for n, r in got.items()} == {
        "1": ("1", None, "own"), "2": ("1", "1", "to_us"), "3": ("1", "2", "about_us")}


def test_the_platforms_thread_id_wins_and_a_missing_parent_stays_missing(any_store: Store) -> None:
    store = any_store
    put(store, resident("9", in_reply_to="8", thread_id="1"))  # 8 was deleted: never comes
    got = rows(store)["9"]
    assert (got["thread"], got["parent"], got["parent_native"]) == ("1", None, "8")


def test_a_mention_is_to_us_and_stays_so_when_seen_again_unflagged(any_store: Store) -> None:
    store = any_store
    put(store, resident("5", addressed=True))
    put(store, resident("5"))  # the same post, found again by a search
    assert rows(store)["5"]["voice"] == "to_us"
    assert rows(store)["5"]["addressed"] is True


def test_a_removed_parent_leaves_the_reply_and_its_voice(store: Store) -> None:
    put(store, own("1"))
    put(store, resident("2", in_reply_to="1"))
    parent = store.db.execute("SELECT id FROM posts WHERE native_id = '1'").fetchone()[0]
    store.erasure.forget_posts([int(parent)], block=False, compact_after=False)
    got = rows(store)
    assert set(got) == {"2"}
    # the voice stays; the thread, named by the erased post's id, gets an opaque key
    assert (got["2"]["parent"], got["2"]["voice"], got["2"]["thread"]) == (
        None, "to_us", erased_thread("1"))


def test_storage_refuses_clear_mentions(any_store: Store) -> None:
    store = any_store
    with pytest.raises(StorageError, match="mentions"):
        put(store, resident("1", mentions=("alice",)))


def test_the_body_keeps_its_authorship_when_a_feed_with_a_byline_repeats_it(
        any_store: Store) -> None:
    store = any_store
    rss = Post("rss", "https://example.gov.uk/n/1", "Bins on Monday", T,
               author_handle="Example Council", author_official=True, author_key="k-c")
    put(store, rss)
    put(store, Post("rss", "https://example.gov.uk/n/1", "Bins on Monday", T,
                    author_key="k-press"))
    handle = store.sql.execute("SELECT author_handle FROM posts").fetchone()[0]
    assert handle == "Example Council"
    assert rows(store)["https://example.gov.uk/n/1"]["voice"] == "own"


def test_label_export_can_take_only_the_posts_addressed_to_the_body(
        any_store: Store) -> None:
    store = any_store
    put(store, own("1"), resident("2", in_reply_to="1"), resident("3", addressed=True),
        resident("4"))
    rows = store.label_export.sample(10, voice="to_us")
    assert sorted(r.text for r in rows) == ["resident post 2", "resident post 3"]
    assert len(store.label_export.sample(10)) == 4


def test_a_thread_id_naming_an_erased_post_is_renamed_in_both_columns(store: Store) -> None:
    """A reply whose platform names its thread by the root's id (a Mastodon
    URI holds the root author's handle): once the root is erased, neither
    the thread nor the platform's thread id names it, and replies in the
    thread still group together."""
    put(store, own("1"))
    put(store, resident("2", in_reply_to="1", thread_id="1"),
        resident("3", in_reply_to="2", thread_id="1"))
    root = store.db.execute("SELECT id FROM posts WHERE native_id = '1'").fetchone()[0]
    store.erasure.forget_posts([int(root)], block=False, compact_after=False)
    got = store.db.execute("SELECT p.native_id, c.thread, c.thread_native FROM conversations c"
                           " JOIN posts p ON p.id = c.post_id ORDER BY p.native_id").fetchall()
    assert got == [("2", erased_thread("1"), erased_thread("1")),
                   ("3", erased_thread("1"), erased_thread("1"))]

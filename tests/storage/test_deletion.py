"""Deleting posts (``storage.deletion``, through erasure and retention):
an erased post's words leave the full-text index's own storage, not only
its search results; and a batch (the platform deletion sync's) is removed
with one set of statements and leaves the same database as removing its
posts one at a time."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

from storage import Post, Store, StoredItem
from storage.driver import FTS_SECURE_DELETE
from tests.rollup_corpus import corpus

WHEN = datetime(2026, 11, 2, 9, tzinfo=UTC)
SECRET = "qwoxzirbland"  # the porter stemmer keeps it whole; no other word shares its letters
TAIL = SECRET[2:].encode()  # past any prefix a neighbouring term could share in a leaf page


def _save(store: Store, posts: list[Post]) -> list[int]:
    run = store.runs.start("x-search")
    ids = store.collect.save_page(source="x-search", run_id=run, query="q", items=[
        StoredItem(p, {"id": p.native_id}) for p in posts]).new_ids
    store.runs.finish(run, "ok")
    return ids


def _pages(store: Store, *, secret_at: datetime) -> int:
    """Posts over several pages (several index segments); one says the
    secret word. Returns its id."""
    secret = 0
    for page in range(6):
        posts = [Post(platform="x", native_id=f"p{page}-{k}",
                      text=f"bins missed on road {page * 40 + k} again, park gate {k}",
                      created_at=WHEN + timedelta(days=page, minutes=k),
                      author_key=f"key-{k % 7}") for k in range(40)]
        if page == 2:
            posts.append(Post(platform="x", native_id="secret", created_at=secret_at,
                              text=f"the {SECRET} at the surgery", author_key="key-s"))
        ids = _save(store, posts)
        if page == 2:
            secret = ids[-1]
    return secret


def _index_bytes(store: Store) -> bytes:
    """Every blob and term the full-text index keeps in its shadow tables."""
    blocks = b"".join(bytes(r[0]) for r in store.db.execute("SELECT block FROM posts_fts_data"))
    terms = b"".join(bytes(r[0]) if isinstance(r[0], bytes) else str(r[0]).encode()
                     for r in store.db.execute("SELECT term FROM posts_fts_idx"))
    return blocks + terms


def _hits(store: Store, word: str) -> int:
    return int(store.db.execute("SELECT count(*) FROM posts_fts WHERE posts_fts MATCH ?",
                                [word]).fetchone()[0])


def test_a_forgotten_posts_words_leave_the_index_segments(store: Store) -> None:
    pid = _pages(store, secret_at=WHEN + timedelta(days=2))
    assert TAIL in _index_bytes(store) and _hits(store, SECRET) == 1  # the test can fail

    store.erasure.forget_posts([pid], compact_after=True)

    assert _hits(store, SECRET) == 0
    assert TAIL not in _index_bytes(store)
    assert _hits(store, "bins") == 240 and _hits(store, "gate") == 240  # the rest still found


def test_the_deletion_syncs_erasures_leave_no_word_and_merge_only_without_secure_delete(
        store: Store) -> None:
    """The platform deletion sync's path: a batch without compaction, then
    the sync's one ``compact``. With FTS5 secure-delete (SQLite 3.42+) the
    words go with the post and no whole-index merge runs (its cost grows
    with the index); without it, the compaction merges the index. Either
    way nothing of the post is left in the index."""
    pid = _pages(store, secret_at=WHEN + timedelta(days=2))
    assert TAIL in _index_bytes(store)
    statements: list[str] = []
    store.db.conn.set_trace_callback(statements.append)
    store.erasure.forget_posts([pid], compact_after=False)
    if FTS_SECURE_DELETE:
        assert TAIL not in _index_bytes(store)  # before any compaction
        assert store.db.execute(  # secure-delete is on only while erasing
            "SELECT v FROM posts_fts_config WHERE k = 'secure-delete'").fetchone() == (0,)
    store.compact()
    store.db.conn.set_trace_callback(None)

    assert TAIL not in _index_bytes(store)
    assert bool([s for s in statements if "optimize" in s]) is not FTS_SECURE_DELETE
    assert _hits(store, "bins") == 240 and _hits(store, "gate") == 240


def test_a_purged_posts_words_leave_the_index_segments(store: Store) -> None:
    pid = _pages(store, secret_at=WHEN - timedelta(days=30))
    assert TAIL in _index_bytes(store)

    counts = store.retention.purge_expired(posts_before=WHEN.isoformat(),
                                           raw_before=WHEN.isoformat())

    assert counts["posts"] == 1
    assert store.db.execute("SELECT count(*) FROM posts WHERE id = ?", [pid]).fetchone()[0] == 0
    assert TAIL not in _index_bytes(store)
    assert _hits(store, "bins") == 240


def _trigger(store: Store) -> str:
    return str(store.db.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'posts_ad'").fetchone()[0])


def _index_true(store: Store) -> None:
    """FTS5's own check: every index entry matches the posts' text (a
    'delete' with other values than those indexed leaves it corrupt)."""
    with store.db.conn:
        store.db.execute("INSERT INTO posts_fts (posts_fts, rank) VALUES ('integrity-check', 1)")


def test_a_purge_deletes_the_index_entries_in_one_statement_and_keeps_the_trigger(
        store: Store) -> None:
    """A month's purge takes its posts out of the index in one statement with
    the row-by-row trigger off (``fts.deleting_in_bulk``); the trigger is
    back as it was, and later deletes go through it."""
    pid = _pages(store, secret_at=WHEN + timedelta(days=1, hours=1))
    trigger = _trigger(store)
    ids = [int(r[0]) for r in store.db.execute("SELECT id FROM posts ORDER BY id")]
    cut = (WHEN + timedelta(days=2)).isoformat()
    ran: list[str] = []
    store.db.conn.set_trace_callback(ran.append)
    counts = store.retention.purge_expired(posts_before=cut, raw_before=cut)
    store.db.conn.set_trace_callback(None)
    assert counts["posts"] == 81 and counts["posts_fts"] == 81  # two pages and the secret
    assert "DROP TRIGGER posts_ad" in ran  # the bulk path, not the trigger's
    assert _trigger(store) == trigger
    _index_true(store)
    assert TAIL not in _index_bytes(store)
    assert _hits(store, "bins") == 160 and _hits(store, SECRET) == 0
    assert store.db.execute("SELECT count(*) FROM posts WHERE id = ?", [pid]).fetchone()[0] == 0

    later = ids[-1]  # a forget afterwards: the trigger takes the post out of the index
    store.erasure.forget_posts([later], block=False)
    _index_true(store)
    assert _hits(store, "bins") == 159


def _contents(store: Store) -> dict[str, list[tuple[object, ...]]]:
    """Every table's rows, but for the times rows were written."""
    out: dict[str, list[tuple[object, ...]]] = {}
    for (table,) in store.db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            " AND name NOT LIKE 'posts_fts%' AND name NOT IN ('runs', '_sqlite_migrations')"
            " ORDER BY name"):
        cols = [str(c[1]) for c in store.db.execute(f'PRAGMA table_info("{table}")')
                if c[1] == "created_at" or not str(c[1]).endswith("_at")]
        select = ", ".join(f'"{c}"' for c in cols)
        out[table] = sorted(store.db.execute(f'SELECT {select} FROM "{table}"').fetchall(),
                            key=repr)
    return out


def test_a_batch_is_removed_at_once_and_as_if_one_by_one(tmp_path: Path) -> None:
    with Store.open(tmp_path / "batch.db") as batch, Store.open(tmp_path / "single.db") as single:
        for s in (batch, single):
            corpus(s, n=700)
        ids = [int(r[0]) for r in batch.db.execute("SELECT id FROM posts ORDER BY id")]
        gone = [*random.Random(5).sample(ids, 60), 10**9]  # and one no longer stored
        statements: list[str] = []
        batch.db.conn.set_trace_callback(statements.append)
        counts = batch.erasure.forget_posts(gone, compact_after=False)
        batch.db.conn.set_trace_callback(None)
        one_by_one = [single.erasure.forget_posts([pid], compact_after=False) for pid in gone]

        # staged once and counted once for the batch, not once per post
        staged = [s for s in statements if s.startswith("INSERT INTO _doomed")]
        counted = [s for s in statements if s == "SELECT count(*) FROM _doomed"]
        assert len(staged) == 1 and len(counted) == 2, (staged, counted)
        assert counts["posts"] == 60 and counts["blocked_posts"] == 60
        assert counts["labels"] == sum(c.get("labels", 0) for c in one_by_one)
        assert batch.rollups.check() == [] and single.rollups.check() == []
        assert _contents(batch) == _contents(single)
        assert batch.erasure.forget_posts([10**9]) == {}

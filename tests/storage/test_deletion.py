"""Deleting posts (``storage.deletion``, through erasure and retention):
an erased post's words leave the full-text index's own storage, not only
its search results; and a batch (the platform deletion sync's) is removed
with one set of statements and leaves the same database as removing its
posts one at a time."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from storage import Post, Store, StoredItem, driver, fts
from storage.driver import sqlite3
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


@pytest.mark.sqlite_only("FTS5's own index segments (posts_fts_data); on PostgreSQL: "
                         "test_a_forgotten_posts_words_leave_postgresqls_table_and_index_files")
def test_a_forgotten_posts_words_leave_the_index_segments(store: Store, fts_way: str) -> None:
    pid = _pages(store, secret_at=WHEN + timedelta(days=2))
    assert TAIL in _index_bytes(store) and _hits(store, SECRET) == 1  # the test can fail

    store.erasure.forget_posts([pid], compact_after=True)

    assert _hits(store, SECRET) == 0
    assert TAIL not in _index_bytes(store)
    assert _hits(store, "bins") == 240 and _hits(store, "gate") == 240  # the rest still found


@pytest.mark.sqlite_only("FTS5's own index segments (posts_fts_data); on PostgreSQL: "
                         "test_a_forgotten_posts_words_leave_postgresqls_table_and_index_files")
def test_the_deletion_syncs_erasures_leave_no_word_and_merge_only_without_secure_delete(
        store: Store, fts_way: str) -> None:
    """The platform deletion sync's path: a batch without compaction, then
    the sync's one ``compact``. With FTS5 secure-delete (SQLite 3.42+) the
    words go with the post and no whole-index merge runs (its cost grows
    with the index); without it, the compaction merges the index. Either
    way nothing of the post is left in the index (``fts_way``: each way in
    turn, the merge forced on a SQLite that has secure-delete)."""
    pid = _pages(store, secret_at=WHEN + timedelta(days=2))
    assert TAIL in _index_bytes(store)
    statements: list[str] = []
    store.db.conn.set_trace_callback(statements.append)
    store.erasure.forget_posts([pid], compact_after=False)
    secure = fts_way == "secure-delete"
    if secure:
        assert TAIL not in _index_bytes(store)  # before any compaction
        assert store.db.execute(  # secure-delete is on only while erasing
            "SELECT v FROM posts_fts_config WHERE k = 'secure-delete'").fetchone() == (0,)
    store.compact()
    store.db.conn.set_trace_callback(None)

    assert TAIL not in _index_bytes(store)
    assert bool([s for s in statements if "optimize" in s]) is not secure
    assert _hits(store, "bins") == 240 and _hits(store, "gate") == 240


@pytest.mark.sqlite_only("FTS5's own index segments (posts_fts_data); on PostgreSQL: "
                         "test_a_forgotten_posts_words_leave_postgresqls_table_and_index_files")
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


@pytest.mark.sqlite_only("FTS5's delete trigger; PostgreSQL's search column goes with the row")
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


def _stat4() -> bool:
    """Whether this SQLite keeps ANALYZE's samples (STAT4: the pysqlite3 wheel)."""
    conn = sqlite3.connect(":memory:")
    try:
        return any(r[0] == "ENABLE_STAT4" for r in conn.execute("PRAGMA compile_options"))
    finally:
        conn.close()


def _samples(store: Store) -> dict[str, int]:
    return {str(t): int(n) for t, n in store.db.execute(
        "SELECT tbl, count(*) FROM sqlite_stat4 GROUP BY tbl")}


needs_stat4 = pytest.mark.skipif(not _stat4(), reason="this SQLite keeps no ANALYZE samples"
                                 " (built without STAT4; the install's pysqlite3 has it)")


@pytest.mark.sqlite_only("ANALYZE's samples of FTS5's own tables")
@needs_stat4
def test_an_erasure_after_analyze_looks_each_term_up_without_preparing_again(
        store: Store) -> None:
    """With ANALYZE's samples of ``posts_fts_idx``, SQLite prepares FTS5's
    look-up of a term in a segment again at each value bound, and a secure
    delete looks each (term, post) up in every segment: thousands of
    prepares for a few posts. The erasure drops those samples first
    (``fts.drop_samples``). Each prepare is seen by the authorizer, which
    SQLite calls while it compiles a statement."""
    pid = _pages(store, secret_at=WHEN + timedelta(days=2))
    gone = [pid, *[int(r[0]) for r in store.db.execute(
        "SELECT id FROM posts WHERE id % 7 = 0 ORDER BY id")]]
    store.db.execute("ANALYZE")  # as an operator (or PRAGMA optimize) may
    assert _samples(store).get("posts_fts_idx", 0) > 0  # the test can fail
    prepared = 0

    def count(action: int, table: str | None, *_: str | None) -> int:
        nonlocal prepared
        prepared += action == sqlite3.SQLITE_READ and table == "posts_fts_idx"
        return int(sqlite3.SQLITE_OK)

    store.db.conn.set_authorizer(count)
    try:
        store.erasure.forget_posts(gone, compact_after=False)
    finally:
        store.db.conn.set_authorizer(None)

    assert prepared < 10, prepared  # 7,324 for these 36 posts with the samples kept
    assert "posts_fts_idx" not in _samples(store) and "posts" in _samples(store)
    assert TAIL not in _index_bytes(store) and _hits(store, SECRET) == 0


@pytest.mark.sqlite_only("ANALYZE's samples of FTS5's own tables")
@needs_stat4
def test_the_bulk_loads_analyse_keeps_no_samples_of_the_full_text_index(store: Store) -> None:
    _pages(store, secret_at=WHEN)

    store.bulk.analyse()

    sampled = _samples(store)
    assert "posts" in sampled  # the planner's statistics are kept for our own tables
    assert not [t for t in sampled if t.startswith("posts_fts")], sampled


@pytest.mark.sqlite_only("FTS5's segments")
def test_an_erasure_of_many_posts_merges_crowded_levels_first_and_of_one_post_not(
        store: Store) -> None:
    """A secure delete looks each (term, post) up in every segment, so before
    an erasure of many posts the levels holding several segments are merged
    (``fts.merge_crowded_levels``), when that rewrites few pages for the
    look-ups it saves; one post's erasure leaves the index as it is."""
    if not driver.FTS_SECURE_DELETE:
        pytest.skip(f"SQLite {driver.SQLITE_VERSION} has no FTS5 secure-delete (3.42+)")
    pid = _pages(store, secret_at=WHEN + timedelta(days=2))
    before = fts.segments(store.db.conn)
    assert len(before) == 6 and {s.level for s in before} == {0}  # a segment per page

    store.erasure.forget_posts([pid], compact_after=False)
    assert fts.segments(store.db.conn) == before  # one post: not worth a merge
    assert TAIL not in _index_bytes(store)

    many = [int(r[0]) for r in store.db.execute("SELECT id FROM posts WHERE id % 6 = 0")]
    store.erasure.forget_posts(many, compact_after=False)
    assert len(fts.segments(store.db.conn)) == 1
    assert _hits(store, "bins") == 240 - len(many)
    _index_true(store)


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


@pytest.mark.sqlite_only("counts the statements with SQLite's trace callback")
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


# -- on both backends ------------------------------------------------------------------


def _found(store: Store, word: str) -> int:
    """Posts the full-text index finds for ``word`` (FTS5 / the tsvector's GIN)."""
    if store.backend == "postgresql":
        return int(store.sql.execute(
            "SELECT count(*) FROM posts WHERE search @@ to_tsquery('civic_search', ?)",
            [word]).fetchone()[0])
    return _hits(store, word)


def _dead(store: Store, table: str) -> int:
    """PostgreSQL: the table's dead tuples, once this connection's pending
    statistics are flushed (``pg_stat_force_next_flush``: at its next idle)."""
    store.sql.execute("SELECT pg_stat_force_next_flush()")
    return int(store.sql.execute(
        "SELECT n_dead_tup FROM pg_stat_user_tables WHERE relname = ?", [table]).fetchone()[0])


def test_a_forgotten_unique_word_leaves_no_row_no_match_and_no_dead_tuple(
        any_store: Store) -> None:
    """PostgreSQL's "no trace", as far as SQL can show it: the post's row
    and its tsvector go, and after the erasure's VACUUM no dead tuple of
    posts is left in the heap (nor so in its indexes, the GIN one included:
    VACUUM cleans the indexes before it marks the heap's line pointers
    free). What SQL cannot show (WAL, backups, free space in a page):
    docs/privacy.md."""
    store = any_store
    pid = _pages(store, secret_at=WHEN + timedelta(days=2))
    assert _found(store, SECRET) == 1

    counts = store.erasure.forget_posts([pid], compact_after=True)

    assert counts["posts"] == 1 and counts["compacted"] == 1
    assert store.sql.execute("SELECT count(*) FROM posts WHERE id = ?", [pid]).fetchone()[0] == 0
    assert _found(store, SECRET) == 0 and _found(store, "bins") == 240
    assert store.rollups.check() == []
    if store.backend == "postgresql":
        for table in ("posts", "post_matches", "raw_payloads", "labels", "rollup_posts"):
            assert _dead(store, table) == 0, table


def test_the_deletion_syncs_batch_leaves_dead_tuples_until_its_one_compact(
        any_store: Store) -> None:
    """The sync's path: batches without compaction, then ``store.compact()``
    once (on PostgreSQL the VACUUM of every table a deletion writes)."""
    store = any_store
    corpus(store, n=300)
    ids = [int(r[0]) for r in store.sql.execute("SELECT id FROM posts ORDER BY id")]
    gone = random.Random(7).sample(ids, 40)

    counts = store.erasure.forget_posts(gone, block=False, compact_after=False)

    assert counts["posts"] == 40 and "compacted" not in counts
    if store.backend == "postgresql":
        assert _dead(store, "posts") >= 40  # the test can fail: not yet vacuumed
    assert store.compact() is True
    assert store.count_posts() == len(ids) - 40 and store.rollups.check() == []
    if store.backend == "postgresql":
        assert _dead(store, "posts") == 0 and _dead(store, "labels") == 0


def test_a_purge_and_a_future_dated_move_on_both_backends(any_store: Store) -> None:
    store = any_store
    corpus(store, n=200)
    total = store.count_posts()
    first, last = store.sql.execute("SELECT min(created_at), max(created_at) FROM posts").fetchone()
    middle = store.sql.execute(
        "SELECT created_at FROM posts ORDER BY created_at LIMIT 1 OFFSET 100").fetchone()[0]
    older = int(store.sql.execute("SELECT count(*) FROM posts WHERE created_at < ?",
                                  [middle]).fetchone()[0])
    dry = store.retention.purge_expired(posts_before=middle, raw_before=first, dry_run=True)
    assert dry["posts"] == older > 0 and store.count_posts() == total

    done = store.retention.purge_expired(posts_before=middle, raw_before=first)

    assert done == dry
    assert store.count_posts() == total - older and store.rollups.check() == []
    moved = store.retention.quarantine_future(after=str(last)[:10])
    assert moved >= 1 and store.rollups.check() == []
    payload = store.sql.execute("SELECT payload FROM quarantine ORDER BY id DESC LIMIT 1"
                                ).fetchone()[0]
    assert "id" in json.loads(payload)


def _server_files_holding(store: Store, needles: list[bytes]) -> dict[bytes, list[str]]:
    """PostgreSQL: which of our tables' and indexes' files (and their TOAST)
    hold each needle, after a CHECKPOINT writes the shared buffers out.
    Skips where the server's files cannot be read (a server not ours)."""
    import os

    try:
        store.sql.execute("CHECKPOINT")
        data = str(store.sql.execute("SHOW data_directory").fetchone()[0])
    except Exception as exc:
        pytest.skip(f"the server's files are not ours to read: {exc}")
    files = store.sql.execute(
        "SELECT c.relname, pg_relation_filepath(c.oid) FROM pg_class c"
        " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname IN"
        " (current_schema(), 'pg_toast') AND c.relkind IN ('r', 'i', 't')").fetchall()
    found: dict[bytes, list[str]] = {n: [] for n in needles}
    for relname, path in files:
        if path is None:
            continue
        segment, k = os.path.join(data, str(path)), 0
        while os.path.exists(segment):
            try:
                content = open(segment, "rb").read()  # noqa: SIM115
            except PermissionError:
                pytest.skip("the server's files are not readable by the tests")
            for needle in needles:
                if needle in content:
                    found[needle].append(str(relname))
            k += 1
            segment = os.path.join(data, f"{path}.{k}")
    return found


def test_a_forgotten_posts_words_leave_postgresqls_table_and_index_files(pg_dsn: str) -> None:
    """The bytes, as SQLite's tests read the file: after ``forget`` and its
    VACUUM and index rebuild, neither the unique word nor the author's
    pseudonym is in any table's or index's file (the GIN index kept the
    word as a key after VACUUM alone). The WAL is not read: it holds
    them until its segments are recycled (docs/postgresql.md)."""
    with Store.open_postgresql(pg_dsn) as store:
        pid = _pages(store, secret_at=WHEN + timedelta(days=2))
        needles = [TAIL, b"key-s"]
        before = _server_files_holding(store, needles)
        assert "posts" in before[TAIL] and "idx_posts_search" in before[TAIL]  # can fail

        store.erasure.forget_posts([pid])

        assert _server_files_holding(store, needles) == {TAIL: [], b"key-s": []}


def test_an_erased_long_posts_text_leaves_the_files_freed_pages(
        store: Store, tmp_path: Path, fts_way: str) -> None:
    """A post long enough for overflow pages: erased, those whole pages go to
    the free list, where ``secure_delete = ON`` zeroes them (``FAST`` would
    leave them as they were: it only clears what it writes anyway)."""
    _pages(store, secret_at=WHEN + timedelta(days=2))
    words = " ".join(f"vellichor{k:05d}" for k in range(1_500))  # about 22 KB
    (pid,) = _save(store, [Post(platform="x", native_id="long", text=words,
                                created_at=WHEN + timedelta(days=3), author_key="key-l")])
    path = tmp_path / "listener.db"

    def file_bytes() -> bytes:
        store.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal")) if p.exists())

    assert b"vellichor00750" in file_bytes()  # the test can fail
    store.erasure.forget_posts([pid], compact_after=True)
    assert b"vellichor" not in file_bytes()


def test_every_table_keyed_to_a_post_is_found_by_post_without_a_scan(any_store: Store) -> None:
    """A deletion empties each table with a ``post_id`` of the staged posts
    (and SQLite's foreign keys cascade): each must be searched by post, not
    scanned (``route_deliveries``' primary key starts with the team:
    migration m191 gave it its index)."""
    tables = any_store.erasure.deletion.tables()
    assert "route_deliveries" in tables
    if any_store.backend == "sqlite":
        scanned = [t for t in tables for (*_, step) in any_store.sql.execute(
            f'EXPLAIN QUERY PLAN DELETE FROM "{t}" WHERE post_id = ?', [1])
            if str(step).startswith(f"SCAN {t}")]
    else:  # an index whose first column is post_id
        indexed = {str(r[0]) for r in any_store.sql.execute(
            "SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid"
            " JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]"
            " WHERE a.attname = 'post_id' AND c.relnamespace = current_schema()::regnamespace")}
        scanned = sorted(set(tables) - indexed)
    assert scanned == []


def _statements(store: Store) -> list[str]:
    seen: list[str] = []
    store.db.conn.set_trace_callback(seen.append)
    return seen


@pytest.mark.sqlite_only("FTS5's own index segments (posts_fts_data); PostgreSQL's "
                         "tsvector goes with the row")
def test_an_erasure_over_the_limit_leaves_its_words_to_the_next_purges_merge(
        store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """An author's erasure above ``fts.AT_ONCE_LIMIT`` posts: no secure
    delete and no merge (their cost at 10M posts is a minute); the posts are
    unsearchable from the commit, the count waiting is recorded, and the next
    purge's merge takes their words out of the index's storage even when
    nothing has expired."""
    monkeypatch.setattr(fts, "AT_ONCE_LIMIT", 1)
    _pages(store, secret_at=WHEN + timedelta(days=2))
    _save(store, [Post(platform="x", native_id="secret-2", created_at=WHEN + timedelta(days=3),
                       text=f"{SECRET} again, at the library", author_key="key-s")])
    assert _hits(store, SECRET) == 2 and fts.pending(store.db) == (0, None)
    seen = _statements(store)

    counts = store.erasure.forget_author("x", "key-s")

    store.db.conn.set_trace_callback(None)
    assert (counts["posts"], counts["fts_pending"]) == (2, 2)
    assert _hits(store, SECRET) == 0
    assert not [s for s in seen if "secure-delete" in s or "optimize" in s]
    assert TAIL in _index_bytes(store)  # left in the segments: the merge to come is needed
    waiting = fts.pending(store.db)
    assert waiting.posts == 2 and waiting.since is not None
    _index_true(store)

    purged = store.retention.purge_expired(posts_before=(WHEN - timedelta(days=99)).isoformat(),
                                           raw_before=(WHEN - timedelta(days=99)).isoformat())

    assert (purged["posts"], purged["erased_posts_cleared_from_index"]) == (0, 2)
    assert TAIL not in _index_bytes(store)
    assert fts.pending(store.db) == (0, None)
    assert _hits(store, "bins") == 240 and _hits(store, "gate") == 240
    _index_true(store)


@pytest.mark.sqlite_only("FTS5's own index segments (posts_fts_data)")
def test_an_erasure_at_the_limit_takes_its_words_out_at_once(
        store: Store, fts_way: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each way (``fts_way``): secure deletes, or the merge after the commit."""
    monkeypatch.setattr(fts, "AT_ONCE_LIMIT", 1)
    _pages(store, secret_at=WHEN + timedelta(days=2))

    counts = store.erasure.forget_author("x", "key-s")

    assert (counts["posts"], counts["fts_pending"]) == (1, 0)
    assert TAIL not in _index_bytes(store) and fts.pending(store.db).posts == 0


@pytest.mark.sqlite_only("FTS5's own index segments (posts_fts_data)")
def test_a_failed_erasure_records_nothing_waiting(
        store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """The record is written in the erasure's transaction: an erasure that
    fails after its deletes leaves the posts, and nothing waiting."""
    monkeypatch.setattr(fts, "AT_ONCE_LIMIT", 0)
    _pages(store, secret_at=WHEN + timedelta(days=2))

    def broken(author_key: str) -> int:
        raise RuntimeError("disk full")

    monkeypatch.setattr(store.erasure.blocklist, "block_author", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        store.erasure.forget_author("x", "key-s")

    assert _hits(store, SECRET) == 1 and fts.pending(store.db) == (0, None)


@pytest.mark.sqlite_only("FTS5's own index segments (posts_fts_data)")
def test_future_dated_posts_moved_out_in_a_large_batch_leave_the_index_at_once(
        store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """Part of a purge: a batch over the limit is merged out now, not left
    waiting for the next day's purge."""
    monkeypatch.setattr(fts, "AT_ONCE_LIMIT", 0)
    _pages(store, secret_at=WHEN + timedelta(days=400))

    assert store.retention.quarantine_future(after=(WHEN + timedelta(days=30)).isoformat()) == 1

    assert TAIL not in _index_bytes(store) and fts.pending(store.db) == (0, None)

"""A page's transaction keeps SQLite's statement journals in memory
(``storage.db._begin_in_memory``, issue 20): the page's multi-row posts
INSERT, with its FTS5 and rollup-queue triggers, no longer spills its
journal to a temporary file, while every other write transaction (a purge's)
still journals to disk, and a connection's temporary tables are never lost.

The temporary file is seen from inside SQLite: a trigger on ``cursors``
(written after the posts, in the same transaction, while a spilled journal
file is still open) calls a Python function that lists the process's open
files that are SQLite temporary files (``etilqs_*``, deleted once opened)."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from storage import Post, Store, StoredItem, driver
from storage.collect import _INSERT_POSTS, _NEW_VALUES, post_row
from storage.db import write_transaction

pytestmark = pytest.mark.skipif(not Path("/proc/self/fd").is_dir(),
                                reason="open files are read from /proc")
# this SQLite's own build: every temporary file in memory (the pysqlite3 wheel)?
BUILT_IN_MEMORY = driver.TEMP_FILES_IN_MEMORY


@pytest.fixture(autouse=True)
def _mechanism_on(monkeypatch: pytest.MonkeyPatch) -> None:
    """A page's ``temp_store`` switch runs in these tests on every build (in
    use it is skipped where the build keeps temporary files in memory: the
    last test), so the pysqlite3 build tests it too."""
    monkeypatch.setattr(driver, "TEMP_FILES_IN_MEMORY", False)


def _open_temp_files() -> int:
    found = 0
    for fd in os.listdir("/proc/self/fd"):
        try:
            found += "etilqs_" in os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
    return found


def _page(first: int, n: int) -> list[StoredItem]:
    # random-looking author keys: each post lands in another leaf of the
    # author index, so the INSERT changes many pages that existed before it
    return [StoredItem(Post(platform="x", native_id=str(i), text=f"the bins on street {i}",
                            created_at=datetime(2026, 11, 17, tzinfo=UTC) + timedelta(
                                minutes=i),
                            author_key=f"{(i * 2654435761) % 2**32:08x}" * 4),
                       {"id": str(i)}) for i in range(first, first + n)]


def _spy(store: Store) -> list[int]:
    """Temporary files open when each cursor row is written."""
    seen: list[int] = []

    def spy() -> int:
        seen.append(_open_temp_files())
        return 0

    store.db.conn.create_function("spy_temp_files", 0, spy)
    store.db.execute("CREATE TRIGGER spy_cursor AFTER INSERT ON cursors"
                     " BEGIN SELECT spy_temp_files(); END")
    return seen


def _filled(tmp_path: Path) -> Store:
    store = Store.open(tmp_path / "journal.db")
    run = store.runs.start("s")
    for start in range(0, 3000, 100):
        store.collect.save_page(source="s", run_id=run, items=_page(start, 100))
    return store


def test_a_page_journals_in_memory_and_leaves_temp_store_as_it_was(tmp_path: Path) -> None:
    store = _filled(tmp_path)
    seen = _spy(store)
    run = store.runs.start("s")
    result = store.collect.save_page(source="s", run_id=run, items=_page(5000, 100),
                                     cursor={"page": "2"})
    assert result.new == 100 and seen == [0]
    assert store.db.execute("PRAGMA temp_store").fetchone()[0] == 0
    assert not store.db.conn.in_transaction
    store.close()


def test_other_write_transactions_still_journal_to_a_file(tmp_path: Path) -> None:
    """The control: the same INSERT in a plain write transaction (as a
    purge's statements run) spills its journal, so the test above can see one
    (unless this SQLite keeps every temporary file in memory)."""
    store = _filled(tmp_path)
    spills = not BUILT_IN_MEMORY
    seen = _spy(store)
    rows = [post_row(item.post) for item in _page(5000, 100)]
    with write_transaction(store.db):
        store.sql.insert_values(_INSERT_POSTS, [
            (3001 + i, *_NEW_VALUES(row), "now", "now") for i, row in enumerate(rows)])
        store.db.execute("INSERT INTO cursors (source, key, value, updated_at)"
                         " VALUES ('s', 'page', '2', 'now')")
    assert seen == ([1] if spills else [0])
    store.close()


@pytest.mark.parametrize("before", [
    lambda store: store.db.execute("CREATE TEMP TABLE kept (id INTEGER)"),
    lambda store: store.db.execute("PRAGMA temp_store = MEMORY"),
])
def test_a_connection_with_temp_tables_or_memory_temp_store_keeps_them(
        store: Store, before: Callable[[Store], object]) -> None:
    """``temp_store`` is left alone when changing it would drop the
    connection's temporary tables (or it is MEMORY already)."""
    before(store)
    setting = store.db.execute("PRAGMA temp_store").fetchone()[0]
    tables = store.db.execute("SELECT name FROM temp.sqlite_master").fetchall()
    run = store.runs.start("s")
    assert store.collect.save_page(source="s", run_id=run, items=_page(1, 3)).new == 3
    assert store.db.execute("PRAGMA temp_store").fetchone()[0] == setting
    assert store.db.execute("SELECT name FROM temp.sqlite_master").fetchall() == tables


def test_a_failed_begin_sets_temp_store_back(store: Store) -> None:
    other = Store.open(Path(store.db.execute("PRAGMA database_list").fetchone()[2]))
    other.db.execute("PRAGMA busy_timeout = 0")
    store.db.execute("BEGIN IMMEDIATE")  # this connection holds the write lock
    try:
        with pytest.raises(Exception, match="locked"), other.sql.transaction(
                journal_in_memory=True):
            pass
        assert other.db.execute("PRAGMA temp_store").fetchone()[0] == 0
    finally:
        store.db.execute("ROLLBACK")
        other.close()


def test_a_page_that_stages_rollup_ids_leaves_the_next_page_in_memory_too(
        tmp_path: Path) -> None:
    """A stored post seen again with new counts is re-counted in the rollups,
    which stage its id in a temporary table: that table goes with the page's
    transaction, so the connection's temporary database does not stay open
    and the next page still keeps its journal in memory."""
    store = _filled(tmp_path)
    seen = _spy(store)
    run = store.runs.start("s")
    changed = [StoredItem(item.post.but(likes=7), item.raw) for item in _page(10, 2)]
    result = store.collect.save_page(source="s", run_id=run, items=changed, cursor={"p": "1"})
    assert result.updated == 2
    assert [r[1] for r in store.db.execute("PRAGMA database_list")] == ["main"]
    store.collect.save_page(source="s", run_id=run, items=_page(5000, 100), cursor={"p": "2"})
    assert seen[-1] == 0
    assert store.db.execute("PRAGMA temp_store").fetchone()[0] == 0
    store.close()


def test_where_sqlite_keeps_temporary_files_in_memory_a_page_leaves_them_alone(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Such a build (``driver.TEMP_FILES_IN_MEMORY``) never spills a journal,
    so a page neither switches ``temp_store`` nor closes the temporary
    database its rollups staged ids in (re-reading the schema for nothing)."""
    monkeypatch.setattr(driver, "TEMP_FILES_IN_MEMORY", True)
    store = _filled(tmp_path)
    run = store.runs.start("s")
    changed = [StoredItem(item.post.but(likes=7), item.raw) for item in _page(10, 2)]
    assert store.collect.save_page(source="s", run_id=run, items=changed).updated == 2
    assert [r[1] for r in store.db.execute("PRAGMA database_list")] == ["main", "temp"]
    assert store.db.execute("PRAGMA temp_store").fetchone()[0] == 0
    store.close()

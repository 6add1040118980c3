"""Moving a database between the backends (issue 21): SQLite to PostgreSQL
and back gives equal tables, every table and every row."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from storage import Post, Store, StoredItem
from storage.copying import CopyError

ROWS = 3  # synthetic rows in every table


def _columns(store: Store, table: str) -> list[tuple[str, str, bool, bool]]:
    """(name, declared type, not null, part of the key) of a SQLite table."""
    return [(str(r[1]), str(r[2]).upper(), bool(r[3]), bool(r[5]))
            for r in store.sql.execute(f'PRAGMA table_info("{table}")')]


def _references(store: Store, table: str) -> dict[str, tuple[str, str]]:
    return {str(r[3]): (str(r[2]), str(r[4]))
            for r in store.sql.execute(f'PRAGMA foreign_key_list("{table}")')}


def _value(store: Store, table: str, column: str, n: int) -> Any:
    """Row ``n``'s value of ``table.column``: a foreign key takes its
    parent's value for the same ``n``; others vary by type, with quotes,
    non-ASCII text, placeholder marks, 64-bit integers and inexact floats."""
    refs = _references(store, table)
    if column in refs:
        parent, parent_column = refs[column]
        return _value(store, parent, parent_column, n)
    declared = {c[0]: c for c in _columns(store, table)}[column]
    _, kind, not_null, key = declared
    if n == ROWS and not not_null and not key:
        return None
    if column == "id" and key:
        return n * 10  # sparse ids: kept as they are
    if "INT" in kind:
        return n if key else n * (2**40) + 7
    if kind in ("REAL", "FLOAT", "DOUBLE"):
        return n / 3
    if kind == "BLOB":
        return bytes([n, 0, 255, 10])
    return f"{table}.{column} {n}: l'œuvre \"q\" ? :x 100% ✓"


def _fill_every_table(store: Store) -> None:
    tables = store.copying.tables()
    for table in tables:
        columns = [c[0] for c in _columns(store, table)]
        for n in range(1, ROWS + 1):
            store.sql.execute(
                f'INSERT INTO "{table}" ({", ".join(f"{chr(34)}{c}{chr(34)}" for c in columns)})'
                f' VALUES ({", ".join("?" * len(columns))}) ON CONFLICT DO NOTHING',
                [_value(store, table, c, n) for c in columns])
    # the rollup queue (filled by a trigger as posts went in) holds part of the posts
    store.sql.execute("DELETE FROM rollup_queue WHERE post_id = 20")
    # and some real posts, through the code that stores them
    run = store.runs.start("real")
    store.collect.save_page(source="real", run_id=run, items=[
        StoredItem(Post(platform="x", native_id=f"r{n}", text=f"Potholes on Mill Lane {n}",
                        created_at=datetime(2026, 11, 17, 9, n, tzinfo=UTC),
                        author_key=f"k{n}"), {"id": n}) for n in range(4)],
        cursor={"since": "after-r3"})
    store.runs.finish(run, "ok")


def _ours(store: Store) -> list[str]:
    """Every table of ours in a SQLite file (found here, not by the code under test)."""
    return [t for t in store.tables() if not t.startswith(("sqlite_", "_", "posts_fts"))]


def _everything(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    return {t: sorted((tuple(r) for r in store.sql.execute(f'SELECT * FROM "{t}"')), key=repr)
            for t in _ours(store)}


def test_sqlite_to_postgresql_and_back_gives_equal_tables(tmp_path: Path, pg_dsn: str) -> None:
    with Store.open(tmp_path / "first.db") as first:
        _fill_every_table(first)
        before = _everything(first)
        assert all(before.values()), [t for t, rows in before.items() if not rows]
        with Store.open_postgresql(pg_dsn) as pg:
            counts = first.copying.copy_to(pg.copying, batch=2)  # many batches per table
            assert {c.table for c in counts} == set(before)
            assert all(c.source == c.target == len(before[c.table]) for c in counts)
            assert {t for t in pg.tables() if t != "_pg_migrations"} == set(before)
            # the full-text index is the target's own, built from the copied posts
            assert [r[0] for r in pg.sql.execute(
                "SELECT native_id FROM posts WHERE search @@ plainto_tsquery('english', ?)"
                " ORDER BY native_id", ["pothole"])] == ["r0", "r1", "r2", "r3"]
            # the identity sequences continue after the copied ids
            top = pg.sql.execute("SELECT max(id) FROM runs").fetchone()[0]
            assert pg.runs.start("after the copy") == top + 1
            pg.sql.execute("DELETE FROM runs WHERE source = 'after the copy'")
            with Store.open(tmp_path / "back.db") as back:
                pg.copying.copy_to(back.copying, batch=2)
                after = _everything(back)
                assert back.sql.execute(
                    "SELECT count(*) FROM posts_fts WHERE posts_fts MATCH 'pothole'"
                ).fetchone()[0] == 4
    assert after.keys() == before.keys()
    for table in before:
        assert after[table] == before[table], table


def test_a_target_holding_data_is_refused_unless_replaced(any_store: Store,
                                                           tmp_path: Path) -> None:
    with Store.open(tmp_path / "source.db") as source:
        _fill_every_table(source)
        any_store.runs.start("already here")
        with pytest.raises(CopyError, match=r"already holds data.*runs.*--replace"):
            source.copying.copy_to(any_store.copying)
        assert [r.source for r in any_store.runs.recent()] == ["already here"]
        source.copying.copy_to(any_store.copying, replace=True)
        assert "already here" not in [r.source for r in any_store.runs.recent(limit=1000)]
        assert any_store.count_posts() == source.count_posts()

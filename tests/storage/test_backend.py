"""The PostgreSQL backend's foundation (issue 21): one SQL text on both
backends, the same schema by the same migrations, several writers at once,
and a DSN that never leaks."""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime

import psycopg
import pytest

from storage import Post, StorageError, Store, StoredItem, pg_migrations
from storage.backend import BackendError, PgSql, dsn_from_env, pg_placeholders, scrub
from storage.migrations import migrations
from tests.pg import with_dbname


@pytest.mark.parametrize(("sqlite", "postgresql"), [
    ("SELECT a FROM t WHERE b = ? AND c = ?", "SELECT a FROM t WHERE b = %s AND c = %s"),
    ("UPDATE t SET a = :a WHERE id = :id AND :a != b",
     "UPDATE t SET a = %(a)s WHERE id = %(id)s AND %(a)s != b"),
    # literals, quoted names, comments and casts are left alone
    ("SELECT '?', 'it''s :x', \"odd?name\" FROM t WHERE a = ?",
     "SELECT '?', 'it''s :x', \"odd?name\" FROM t WHERE a = %s"),
    ("SELECT a::text FROM t -- why? :because\nWHERE b = ?",
     "SELECT a::text FROM t -- why? :because\nWHERE b = %s"),
    # a percent sign is psycopg's placeholder mark: doubled, in literals too
    ("SELECT a FROM t WHERE b LIKE '%bins%' AND c = 100 % ?",
     "SELECT a FROM t WHERE b LIKE '%%bins%%' AND c = 100 %% %s"),
])
def test_placeholders_are_rewritten_outside_literals_only(sqlite: str, postgresql: str) -> None:
    assert pg_placeholders(sqlite) == postgresql


def test_a_question_mark_in_a_bound_value_stays_a_value(any_store: Store) -> None:
    run = any_store.runs.start("what? :x 100%")
    assert any_store.sql.execute("SELECT source FROM runs WHERE id = ?", [run]).fetchone()[0] \
        == "what? :x 100%"
    assert any_store.sql.execute("SELECT count(*) FROM runs WHERE source LIKE '%100%%'"
                                 " AND id = :id", {"id": run}).fetchone()[0] == 1


# -- the schema ---------------------------------------------------------------

def test_every_sqlite_migration_is_ported_or_listed_as_pending() -> None:
    """A migration added on SQLite fails here until it is ported to
    PostgreSQL or listed as pending; the ported ones keep SQLite's order."""
    names = [m.name for m in migrations._migrations]
    assert set(pg_migrations.PORTED) | set(pg_migrations.PENDING) == set(names)
    assert not set(pg_migrations.PORTED) & set(pg_migrations.PENDING)
    assert list(pg_migrations.PORTED) == [n for n in names if n in pg_migrations.PORTED]


def _sqlite_columns(store: Store, table: str) -> list[str]:
    return [str(r[1]) for r in store.sql.execute(f"PRAGMA table_info({table})")]


def _pg_columns(store: Store, table: str) -> list[str]:
    return [str(r[0]) for r in store.sql.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = ?"
        " AND table_schema = current_schema() ORDER BY ordinal_position", [table])]


def test_ported_tables_have_sqlites_columns_in_sqlites_order(store: Store, pg_dsn: str) -> None:
    with Store.open_postgresql(pg_dsn) as pg:
        tables = [t for t in pg.tables() if t != "_pg_migrations"]
        assert {"posts", "runs", "cursors", "quarantine", "conversations",
                "rollup_queue"} <= set(tables)
        for table in tables:
            extra = ["search"] if table == "posts" else []  # the tsvector (SQLite: posts_fts)
            assert _pg_columns(pg, table) == _sqlite_columns(store, table) + extra, table


def test_migrations_apply_once_and_record_their_names(pg_databases: object) -> None:
    from tests.pg import PgDatabases

    assert isinstance(pg_databases, PgDatabases)
    name = pg_databases.create()
    try:
        dsn = with_dbname(pg_databases.dsn, name)
        with Store.open_postgresql(dsn) as first:
            assert pg_migrations.applied(first.sql) == list(pg_migrations.PORTED)
            assert pg_migrations.apply(first.sql) == []  # nothing left
        errors: list[BaseException] = []

        def reopen() -> None:
            try:
                Store.open_postgresql(dsn).close()
            except BaseException as exc:
                errors.append(exc)

        threads = [threading.Thread(target=reopen) for _ in range(3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == []
    finally:
        pg_databases.drop(name)


def test_a_new_post_waits_on_the_rollup_queue_on_both(any_store: Store) -> None:
    run = any_store.runs.start("s")
    ids = any_store.collect.save_page(source="s", run_id=run, items=[StoredItem(_post("1"), {})],
                                      ).new_ids
    assert [r[0] for r in any_store.sql.execute("SELECT post_id FROM rollup_queue")] == ids


def test_postgresql_full_text_index_stems_like_sqlites(pg_dsn: str) -> None:
    with Store.open_postgresql(pg_dsn) as pg:
        run = pg.runs.start("s")
        pg.collect.save_page(source="s", run_id=run,
                             items=[StoredItem(_post("1", "Potholes on Mill Lane"), {})])
        found = pg.sql.execute("SELECT native_id FROM posts WHERE search @@"
                               " plainto_tsquery('english', ?)", ["pothole"]).fetchall()
        assert found == [("1",)]


# -- several writers ----------------------------------------------------------

def _post(native_id: str, text: str = "the bins were not collected") -> Post:
    return Post(platform="x", native_id=native_id, text=text,
                created_at=datetime(2026, 11, 17, 9, 30, tzinfo=UTC), author_key=f"k{native_id}")


def test_two_collectors_storing_the_same_posts_at_once_keep_each_once(pg_dsn: str) -> None:
    """Two processes' stores (two pools) write overlapping pages at the same
    moment: each post is stored once, with both sources' matches, and
    neither write fails (writers queue, as on SQLite's write lock)."""
    stores = [Store.open_postgresql(pg_dsn) for _ in range(2)]
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def collect(store: Store, source: str) -> None:
        try:
            run = store.runs.start(source)
            start.wait()
            for n in range(15):
                items = [StoredItem(_post(f"{n}-{k}"), {}) for k in range(5)]
                store.collect.save_page(source=source, run_id=run, items=items,
                                        cursor={"page": str(n)})
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=collect, args=(s, f"src{i}"))
               for i, s in enumerate(stores)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    try:
        assert errors == []
        assert stores[0].count_posts() == 75
        assert stores[0].sql.execute("SELECT count(*) FROM post_matches").fetchone()[0] == 150
        assert stores[1].collect.cursor("src0") == {"page": "14"}
        runs = sorted((r.source, r.new + r.duplicates) for r in stores[1].runs.recent())
        assert runs == [("src0", 75), ("src1", 75)]
    finally:
        for s in stores:
            s.close()


# -- every attribute on both backends ----------------------------------------

def test_sqlite_s_handle_is_not_on_postgresql(pg_dsn: str) -> None:
    with Store.open_postgresql(pg_dsn) as pg:
        assert pg.backend == "postgresql"
        with pytest.raises(StorageError, match="SQLite's handle"):
            _ = pg.db


def test_a_store_has_the_same_attributes_on_both_backends(store: Store, pg_dsn: str) -> None:
    """An attribute added to Store on one backend alone would be an
    AttributeError on the other; each is built on ``store.sql``."""
    names = {n for n in vars(store) if not n.startswith("_")}
    with Store.open_postgresql(pg_dsn) as pg:
        assert {n for n in vars(pg) if not n.startswith("_")} == names


def test_a_readonly_postgresql_store_refuses_writes(pg_dsn: str) -> None:
    with Store.open_postgresql(pg_dsn, readonly=True) as pg:
        assert pg.count_posts() == 0
        with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
            pg.runs.start("s")


# -- the DSN is a secret ------------------------------------------------------

SECRET = "s3cret-Pw-never-shown"


@pytest.mark.parametrize("dsn", [
    f"host=/nonexistent/socket-dir port=5 user=civic password={SECRET} dbname=nothing",
    f"postgresql://civic:{SECRET}@/nothing?host=/nonexistent/socket-dir",
    f"postgresql://civic:{SECRET}@/nothing?host=/nonexistent&bogus_option=1",
    f"host=/nonexistent password='{SECRET}' bogus_option=1",
    f"postgresql://civic:{SECRET}@[::1/nothing",  # libpq repeats this one whole
])
def test_a_failed_connection_never_shows_the_dsn(dsn: str,
                                                 caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    with pytest.raises(BackendError) as caught:
        Store.open_postgresql(dsn, env_name="CIVIC_DSN")
    shown = f"{caught.value!s} {caught.value!r} {caught.getrepr()}"
    assert "CIVIC_DSN" in str(caught.value)
    assert SECRET not in shown
    assert caught.value.__cause__ is None and caught.value.__suppress_context__
    assert all(SECRET not in r.getMessage() for r in caplog.records)


def test_scrub_removes_a_password_however_written() -> None:
    for dsn in (f"password={SECRET}", f"postgres://u:{SECRET}@h/db",
                f"host=h password = '{SECRET}'"):
        assert SECRET not in scrub(f"failed for {dsn} and {SECRET}", dsn)


def test_the_dsn_variable_must_be_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CIVIC_TEST_UNSET_DSN", raising=False)
    with pytest.raises(BackendError, match=r"\$CIVIC_TEST_UNSET_DSN, which is not set"):
        dsn_from_env("CIVIC_TEST_UNSET_DSN")
    monkeypatch.setenv("CIVIC_TEST_SET_DSN", f"host=/x password={SECRET}")
    assert dsn_from_env("CIVIC_TEST_SET_DSN").endswith(SECRET)


def test_a_postgresql_store_opens_from_the_variable_the_config_names(
        pg_dsn: str, monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> None:
    from storage.config import StorageSettings

    monkeypatch.setenv("CIVIC_LISTENER_DSN", pg_dsn)
    settings = StorageSettings(backend="postgresql", dsn_env="CIVIC_LISTENER_DSN")
    with Store.from_settings(settings, f"{tmp_path}/unused.db") as pg:
        assert isinstance(pg.sql, PgSql) and pg.count_posts() == 0
    with Store.from_settings(StorageSettings(), f"{tmp_path}/x.db") as lite:
        assert lite.backend == "sqlite"

"""The test PostgreSQL server (scripts/pg-test-server.sh) as the fixtures see it.

``CIVIC_TEST_PG_DSN`` names a database on the server that the tests may
create databases from. Each test that needs PostgreSQL gets a database of
its own, copied from a template migrated once per session (a copy takes a
few milliseconds; migrating takes longer), and dropped after.

Without the variable, PostgreSQL tests skip on a developer's machine and
FAIL in CI (``CI`` set), where the README's test command starts the server.
"""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar, cast

import pytest

from tests.cli import Cli

if TYPE_CHECKING:
    from storage import Store

ENV = "CIVIC_TEST_PG_DSN"
T = TypeVar("T")


DSN_ENV = "CIVIC_LISTENER_DSN"  # the variable the tests' PostgreSQL configs name


def sqlite_only(reason: str, fixture: str = "any_store") -> Callable[[T], T]:
    """Run a test that takes ``any_store`` (itself, or through a fixture built
    on it, such as a folder's ``store``; or ``fixture``, another fixture
    parametrised ``sqlite``/``postgresql``) on SQLite only, because of
    ``reason``: one line naming what is SQLite's own (FTS5's tables, a
    PRAGMA, the file's bytes, the authorizer) or the module not ported yet.
    ``pytest -m sqlite_only`` lists them (the marker's argument is the reason)."""
    def mark(test: T) -> T:
        marked = pytest.mark.sqlite_only(reason)(test)
        return cast(T, pytest.mark.parametrize(fixture, ["sqlite"], indirect=True)(marked))
    return mark


def server_dsn() -> str:
    dsn = os.environ.get(ENV, "")
    if not dsn:
        message = (f"${ENV} is not set: start the test server with "
                   "`eval \"$(scripts/pg-test-server.sh start)\"` (or run the suite as "
                   "`scripts/pg-test-server.sh run .venv/bin/python -m pytest`)")
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL tests cannot run in CI: {message}", pytrace=False)
        pytest.skip(message)
    return dsn


def with_dbname(dsn: str, name: str) -> str:
    from psycopg.conninfo import make_conninfo

    return make_conninfo(dsn, dbname=name)


class PgDatabases:
    """Creates and drops the tests' databases on the test server."""

    def __init__(self, dsn: str) -> None:
        import psycopg

        self.dsn = dsn
        self.conn = psycopg.connect(dsn, autocommit=True)
        self.prefix = f"t{os.getpid()}_{uuid.uuid4().hex[:6]}"
        self.template: str | None = None

    def create(self, *, template: str | None = None) -> str:
        name = f"{self.prefix}_{uuid.uuid4().hex[:10]}"
        sql = f'CREATE DATABASE "{name}"'
        if template:
            sql += f' TEMPLATE "{template}"'
        self.conn.execute(sql.encode())
        return name

    def drop(self, name: str) -> None:
        self.conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'.encode())

    def migrated(self) -> str:
        """A fresh database copied from the session's migrated template."""
        if self.template is None:
            from storage import Store

            name = self.create()
            Store.open_postgresql(with_dbname(self.dsn, name)).close()
            self.template = name
        return self.create(template=self.template)

    def close(self) -> None:
        if self.template:
            self.drop(self.template)
        self.conn.close()


def session_databases() -> Iterator[PgDatabases]:
    databases = PgDatabases(server_dsn())
    try:
        yield databases
    finally:
        databases.close()


BACKENDS = ["sqlite", "postgresql"]


def backend_store(request: pytest.FixtureRequest, folder: Path) -> Iterator[tuple[Store, str]]:
    """The body of a fixture of a wider scope than a test's, parametrised over
    ``BACKENDS`` (``any_store`` is per test): a store in a file under
    ``folder``, or in a PostgreSQL database of its own, dropped after; with
    where it is (the file's path, or the DSN)."""
    from storage import Store
    from tests.paths import STORE_FILE

    if request.param == "sqlite":
        with Store.open(folder / STORE_FILE) as store:
            yield store, str(folder / STORE_FILE)
        return
    databases: PgDatabases = request.getfixturevalue("pg_databases")
    name = databases.migrated()
    dsn = with_dbname(databases.dsn, name)
    try:
        with Store.open_postgresql(dsn) as store:
            yield store, dsn
    finally:
        databases.drop(name)


def fts_ids(store: Store, word: str) -> list[int]:
    """The posts the full-text index finds for ``word`` (one word), by id:
    FTS5's ``posts_fts`` on SQLite, the posts' ``search`` tsvector (GIN) on
    PostgreSQL: the index itself, not the search page's query."""
    if store.backend == "postgresql":
        sql = "SELECT id FROM posts WHERE search @@ to_tsquery('civic_search', ?) ORDER BY id"
    else:
        sql = "SELECT rowid FROM posts_fts WHERE posts_fts MATCH ? ORDER BY rowid"
    return [int(r[0]) for r in store.sql.execute(sql, [word])]


def on_postgresql(config: Path) -> None:
    """Point ``config`` (its ``storage`` section says ``backend: sqlite``) at
    PostgreSQL, the DSN in ``$CIVIC_LISTENER_DSN``."""
    text = config.read_text(encoding="utf-8")
    assert "  backend: sqlite" in text, text
    config.write_text(text.replace("  backend: sqlite",
                                   f"  backend: postgresql\n  dsn_env: {DSN_ENV}", 1),
                      encoding="utf-8")


def on_store(config: Path, store: Store, request: pytest.FixtureRequest) -> dict[str, str]:
    """Point ``config`` (a copy of the repository's, or one whose ``storage``
    section has ``path:`` and ``backend: sqlite`` lines) at ``store``, the
    test's ``any_store``: its SQLite file, or its PostgreSQL database. Returns
    the environment a ``listener`` command with that config needs."""
    if store.backend == "sqlite":
        text = config.read_text(encoding="utf-8")
        pointed = re.sub(r"(?m)^  path: .*$", f"  path: {store.path}", text, count=1)
        assert pointed != text, text
        config.write_text(pointed, encoding="utf-8")
        return {}
    on_postgresql(config)
    return {DSN_ENV: str(request.getfixturevalue("pg_dsn"))}


def sample_configs(folder: Path, pg_dsn: str) -> tuple[Path, Path, dict[str, str]]:
    """The sample's config twice under ``folder``: on SQLite (``sqlite/``) and
    on PostgreSQL (``pg/``, the DSN in ``$CIVIC_LISTENER_DSN``), with the
    environment that holds it, for tests that compare the two backends."""
    from tests.listener.test_pipeline_resume import write_config

    lite = write_config(folder / "sqlite")
    pg = write_config(folder / "pg")
    on_postgresql(pg)
    return lite, pg, {DSN_ENV: pg_dsn}


def run_ok(cli: Cli, config: Path, env: dict[str, str], *args: str | Path) -> str:
    """``listener -c config args...``, which must succeed; its output."""
    result = cli("-c", config, *args, env=env)
    assert result.returncode == 0, result.output
    return result.output


def sample_collected_on_both(folder: Path, pg_dsn: str, cli: Cli, key: str
                             ) -> tuple[Path, Path, dict[str, str]]:
    """``sample_configs``, then ``collect`` and ``classify`` on each backend
    (``key``: the pseudonym key, set for the calls)."""
    lite, pg, env = sample_configs(folder, pg_dsn)
    env["CIVIC_LISTENER_PSEUDONYM_KEY"] = key
    for config in (lite, pg):
        run_ok(cli, config, env, "collect")
        run_ok(cli, config, env, "classify")
    return lite, pg, env

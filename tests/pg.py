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
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli import Cli

ENV = "CIVIC_TEST_PG_DSN"


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


def sample_configs(folder: Path, pg_dsn: str) -> tuple[Path, Path, dict[str, str]]:
    """The sample's config twice under ``folder``: on SQLite (``sqlite/``) and
    on PostgreSQL (``pg/``, the DSN in ``$CIVIC_LISTENER_DSN``), with the
    environment that holds it, for tests that compare the two backends."""
    from tests.listener.test_pipeline_resume import write_config

    lite = write_config(folder / "sqlite")
    pg = write_config(folder / "pg")
    text = pg.read_text()
    assert "  backend: sqlite" in text
    pg.write_text(text.replace("  backend: sqlite",
                               "  backend: postgresql\n  dsn_env: CIVIC_LISTENER_DSN", 1))
    return lite, pg, {"CIVIC_LISTENER_DSN": pg_dsn}


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

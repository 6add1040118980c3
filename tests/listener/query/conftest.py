from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from storage import Store
from tests.listener.query.builders import TOPICS_YAML, build_db, fill, write_config
from tests.pg import PgDatabases, with_dbname


@pytest.fixture(scope="session")
def query_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_db(tmp_path_factory.mktemp("querydb") / "posts.db")


@pytest.fixture(scope="session")
def query_config(query_db: Path) -> Path:
    return write_config(query_db.parent, query_db)


@pytest.fixture(scope="session")
def query_pg_dsn(pg_databases: PgDatabases) -> Iterator[str]:
    """The same hand-built posts in a PostgreSQL database (built once)."""
    name = pg_databases.migrated()
    dsn = with_dbname(pg_databases.dsn, name)
    with Store.open_postgresql(dsn) as store:
        fill(store)
    yield dsn
    pg_databases.drop(name)


@pytest.fixture(params=["sqlite", "postgresql"])
def query_store(request: pytest.FixtureRequest, query_db: Path) -> Iterator[Store]:
    """The hand-built database, opened read-only as the query CLI opens it:
    once on SQLite, once on PostgreSQL (tests.pg: skipped without a test
    server on a developer's machine, a failure in CI)."""
    if request.param == "sqlite":
        with Store.open(query_db, readonly=True) as store:
            yield store
    else:
        with Store.open_postgresql(request.getfixturevalue("query_pg_dsn"),
                                   readonly=True) as store:
            yield store


@pytest.fixture(params=["sqlite", "postgresql"])
def cli_config(request: pytest.FixtureRequest, query_config: Path,
               tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The query config for ``listener query``/``trends``: the SQLite file,
    or the same posts on PostgreSQL (``storage.backend: postgresql``, the DSN
    in ``$CIVIC_LISTENER_DSN``)."""
    if request.param == "sqlite":
        return query_config
    monkeypatch.setenv("CIVIC_LISTENER_DSN", request.getfixturevalue("query_pg_dsn"))
    config = tmp_path / "config.yaml"
    config.write_text(
        "storage:\n  backend: postgresql\n  dsn_env: CIVIC_LISTENER_DSN\n"
        f"  data_dir: {tmp_path / 'data'}\n" + TOPICS_YAML
        + "privacy:\n  official_accounts: ['x:ExampleCouncil']\n", encoding="utf-8")
    return config

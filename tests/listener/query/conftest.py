from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from storage import Store
from tests.listener.query.builders import build_db, fill, write_config
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

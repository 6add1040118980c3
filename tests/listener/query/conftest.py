from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from storage import Store
from tests.listener.query.builders import build_db, write_config


@pytest.fixture(scope="session")
def query_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_db(tmp_path_factory.mktemp("querydb") / "posts.db")


@pytest.fixture(scope="session")
def query_config(query_db: Path) -> Path:
    return write_config(query_db.parent, query_db)


@pytest.fixture()
def query_store(query_db: Path) -> Iterator[Store]:
    """The hand-built database, opened read-only as the query CLI opens it."""
    with Store.open(query_db, readonly=True) as store:
        yield store

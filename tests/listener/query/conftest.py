from __future__ import annotations

from pathlib import Path

import pytest

from tests.listener.query.builders import build_db, write_config


@pytest.fixture(scope="session")
def query_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_db(tmp_path_factory.mktemp("querydb") / "posts.db")


@pytest.fixture(scope="session")
def query_config(query_db: Path) -> Path:
    return write_config(query_db.parent, query_db)

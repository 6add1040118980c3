"""The PostgreSQL half of the suite cannot pass by not running: without the
test server it skips on a developer's machine and fails in CI."""

from __future__ import annotations

import pytest

from tests import pg


def test_without_a_server_ci_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(pg.ENV, raising=False)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="PostgreSQL tests cannot run in CI"):
        pg.server_dsn()


def test_without_a_server_a_developer_is_told_how_to_start_one(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(pg.ENV, raising=False)
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match=r"scripts/pg-test-server\.sh"):
        pg.server_dsn()


def test_with_a_server_its_dsn(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(pg.ENV, "host=/tmp/x dbname=y")
    assert pg.server_dsn() == "host=/tmp/x dbname=y"


def test_sqlite_only_keeps_the_sqlite_half_and_says_why() -> None:
    """``tests.pg.sqlite_only`` parametrises the backend fixture with SQLite
    alone (the test has no ``[postgresql]`` id) and carries the reason in a
    ``sqlite_only`` mark (``pytest -m sqlite_only`` lists them)."""
    @pg.sqlite_only("FTS5's own tables", "built")
    def marked(built: object) -> None:
        del built

    marks = {m.name: m for m in getattr(marked, "pytestmark", [])}
    assert marks["sqlite_only"].args == ("FTS5's own tables",)
    assert marks["parametrize"].args == ("built", ["sqlite"])
    assert marks["parametrize"].kwargs == {"indirect": True}

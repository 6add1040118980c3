"""Suite-wide rules and the fixtures every package's tests share.

- In CI (``CI`` set), a skipped test is a failure: every optional piece the
  README's test command installs must actually be tested there.
- Each test starts with the root logger as it found it, so a command run
  in-process (which points logging at its own stream) cannot leave a
  closed stream behind for the next test.
- ``store``: a migrated store in this test's own file, ``tests.paths.STORE_FILE``
  under ``tmp_path`` (a config beside it with ``storage: {path: listener.db}``
  reaches the same file); closed after the test.
- ``any_store``: the same, once on each backend (``sqlite``, ``postgresql``):
  a test that takes it runs twice. On PostgreSQL it is a database of its own
  on the test server (``tests.pg``: skipped without one on a developer's
  machine, a failure in CI). The storage, privacy, query and report suites
  run on it (tests/listener/privacy and tests/reports: their folder's
  ``store`` is ``any_store``); ``tests.pg.sqlite_only(reason)`` keeps a test
  to SQLite (``pytest -m sqlite_only`` lists them).
- ``pg_dsn``: the DSN of a fresh, migrated PostgreSQL database, dropped after.
- ``cli``: runs ``listener`` as a user does; see ``tests.cli.Cli``.
- ``fts_way``: each way an erased post's words leave SQLite's full-text
  index, in turn: ``secure-delete`` (FTS5 on SQLite 3.42+: the pysqlite3 wheel
  the install brings on Linux x86_64) and ``merge`` (plain deletes, then the
  whole index merged: the path of a platform without the wheel, forced here
  through ``storage.driver.FTS_SECURE_DELETE``). ``secure-delete`` is skipped
  on an older SQLite (a failure in CI, which installs the wheel).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Generator, Iterator
from pathlib import Path

import pytest

from storage import Store, driver
from tests.cli import Cli
from tests.paths import STORE_FILE
from tests.pg import PgDatabases, session_databases, with_dbname


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "sqlite_only(reason): runs on SQLite only, for the reason given "
        "(tests.pg.sqlite_only; the rest of the storage, privacy, query and report "
        "suites run on both backends)")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]
                              ) -> Generator[None, pytest.TestReport, None]:
    outcome = yield
    report = outcome.get_result()
    if os.environ.get("CI") and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"skipped in CI, where nothing may be skipped: {report.longrepr}"


@pytest.fixture(autouse=True)
def _restore_root_logger() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


@pytest.fixture(params=["secure-delete", "merge"])
def fts_way(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "secure-delete" and not driver.FTS_SECURE_DELETE:
        pytest.skip(f"SQLite {driver.SQLITE_VERSION} has no FTS5 secure-delete (3.42+)")
    if request.param == "merge":
        monkeypatch.setattr(driver, "FTS_SECURE_DELETE", False)
    return str(request.param)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / STORE_FILE) as opened:
        yield opened


@pytest.fixture(scope="session")
def pg_databases() -> Iterator[PgDatabases]:
    yield from session_databases()


@pytest.fixture
def pg_dsn(pg_databases: PgDatabases) -> Iterator[str]:
    name = pg_databases.migrated()
    yield with_dbname(pg_databases.dsn, name)
    pg_databases.drop(name)


@pytest.fixture(params=["sqlite", "postgresql"])
def any_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "sqlite":
        with Store.open(tmp_path / STORE_FILE) as opened:
            yield opened
    else:
        with Store.open_postgresql(request.getfixturevalue("pg_dsn")) as opened:
            yield opened


@pytest.fixture
def cli() -> Cli:
    return Cli()

"""The web page as a browser sees it: a real Datasette app behind httpx's
ASGI transport, with a cookie jar, a client address and a scheme of its own
(``site``, ``browsers``); and the audit tests' config and database (one
labelled week, 2026-W47) with web users for it: ``policy`` (reader) and
``alice`` (labeller) (``config``, ``db``, ``with_users``), on either backend
(``backend``: the same posts on SQLite and in a PostgreSQL database)."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from listener.config import load_settings
from listener.web import plugin
from listener.web.app import build
from listener.web.auth import hash_password
from storage import Store
from tests.listener.audit.conftest import config, db, week_specs
from tests.listener.query.builders import PASSWORD, build_db, write_config
from tests.listener.query.conftest import query_pg_dsn
from tests.reports.builders import add

__all__ = ["PASSWORDS", "Backend", "Browser", "config", "db", "query_pg_dsn", "with_users"]

PASSWORDS = {"policy": "reader pass", "alice": "labeller pass", "edna": "editor pass"}


@pytest.fixture(scope="session")
def web_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_db(tmp_path_factory.mktemp("webdb") / "posts.db")


@pytest.fixture(scope="session")
def web_hash() -> str:
    return hash_password(PASSWORD)


@pytest.fixture(params=["sqlite", "postgresql"])
def web_backend(request: pytest.FixtureRequest) -> str:
    """The backend ``site`` serves: each test that takes it runs on both."""
    return str(request.param)


@pytest.fixture
def site(web_backend: str, web_db: Path, web_hash: str, tmp_path: Path,
         monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A fresh Datasette (fresh sessions and login counters) per test, over
    the hand-built posts: the SQLite file (``web_db``) or the same posts on
    PostgreSQL (``query_pg_dsn``)."""
    monkeypatch.setenv("TEST_WEB_HASH", web_hash)
    config = write_config(web_db.parent, web_db)
    if web_backend == "postgresql":
        config = write_config(tmp_path, web_db)
        on_postgresql(config, request.getfixturevalue("query_pg_dsn"), monkeypatch)
    ds = build(load_settings(config, check_credentials=False))
    yield ds
    plugin.CONTEXTS[ds].close()


class Browser:
    def __init__(self, ds: Any, loop: asyncio.AbstractEventLoop,
                 address: str = "127.0.0.1", base: str = "http://localhost") -> None:
        self.loop = loop
        self.client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=ds.app(), client=(address, 50000)),
            base_url=base, follow_redirects=False)

    def get(self, path: str) -> httpx.Response:
        return self.loop.run_until_complete(self.client.get(path))

    def post(self, path: str, data: dict[str, str]) -> httpx.Response:
        return self.loop.run_until_complete(self.client.post(path, data=data))

    def token(self, path: str = "/-/login") -> str:
        found = re.search(r'name="csrftoken" value="([^"]+)"', self.get(path).text)
        assert found is not None, f"no CSRF token on {path}"
        return found[1]

    def login(self, user: str, password: str) -> httpx.Response:
        return self.post("/-/login", {"username": user, "password": password,
                                      "csrftoken": self.token()})


@pytest.fixture
def browsers(site: Any) -> Iterator[Any]:
    """``browsers(address="...", base="...")`` -> a new Browser on the site."""
    loop = asyncio.new_event_loop()
    loop.run_until_complete(site.invoke_startup())
    made: list[Browser] = []

    def make(**kwargs: str) -> Browser:
        made.append(Browser(site, loop, **kwargs))
        return made[-1]

    yield make
    for browser in made:
        loop.run_until_complete(browser.client.aclose())
    loop.close()


def with_users(config: Path) -> dict[str, str]:
    """Add the labeller ``alice`` and the editor ``edna`` to the config's web
    users (a log-in is a real one through the form: issue 16); returns the
    environment holding every user's password hash."""
    text = config.read_text(encoding="utf-8")
    assert "  users:\n" in text
    config.write_text(text.replace(
        "  users:\n", "  users:\n    alice:\n      password_hash_env: TEST_LABELLER_HASH\n"
        "      role: labeller\n    edna:\n      password_hash_env: TEST_EDITOR_HASH\n"
        "      role: editor\n", 1), encoding="utf-8")
    return {"CIVIC_LISTENER_WEB_POLICY_HASH": hash_password(PASSWORDS["policy"]),
            "TEST_LABELLER_HASH": hash_password(PASSWORDS["alice"]),
            "TEST_EDITOR_HASH": hash_password(PASSWORDS["edna"])}


PG_STORAGE = "  backend: postgresql\n  dsn_env: CIVIC_LISTENER_DSN\n"


@dataclass(frozen=True)
class Backend:
    name: str  # sqlite | postgresql
    config: Path

    def open(self) -> Store:
        """The store the config names (read-write), as ``listener`` opens it."""
        settings = load_settings(self.config, check_credentials=False)
        return Store.from_settings(settings.storage, settings.database_path)


def on_postgresql(config: Path, dsn: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Point ``config`` at the PostgreSQL database ``dsn`` (in
    ``$CIVIC_LISTENER_DSN``)."""
    monkeypatch.setenv("CIVIC_LISTENER_DSN", dsn)
    text = config.read_text(encoding="utf-8")
    lines = [line for line in text.splitlines(keepends=True)
             if not line.startswith("  backend:")]
    at = lines.index("storage:\n") + 1
    config.write_text("".join([*lines[:at], PG_STORAGE, *lines[at:]]), encoding="utf-8")


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest, config: Path,
            monkeypatch: pytest.MonkeyPatch) -> Backend:
    """The audit tests' config and week (``config``) on SQLite, or the same
    posts in a PostgreSQL database of their own (tests.pg: skipped without
    a test server on a developer's machine, a failure in CI)."""
    if request.param == "postgresql":
        dsn = request.getfixturevalue("pg_dsn")
        on_postgresql(config, dsn, monkeypatch)
        with Store.open_postgresql(dsn) as store:
            add(store, week_specs())
    return Backend(request.param, config)

"""ARCHITECTURE.md's rules, run: who may import whom, listener's layers,
SQL only in storage, and the database only through ``Store``.

Each rule runs on the repository, and on a small planted tree where it must
find the violation planted there (and nothing in a clean one)."""

from __future__ import annotations

from pathlib import Path

import pytest

from storage.driver import sqlite3
from storage.queries import PostFilter
from tests.architecture import (
    Violation,
    import_table,
    listener_layers,
    raw_database_outside_storage,
    sql_outside_storage,
)
from tests.paths import ROOT

# Explicit exceptions, each with its reason. A stale one (that no longer
# excuses anything) fails test_every_exception_is_still_needed.
SQL_EXCEPTIONS = {
    # an outside check of the file a SIGKILLed `listener collect` left behind:
    # it counts rows without the code under test
    "bench/kill_resume_rss.py",
    # measurements from outside the code under test: the online backup as the
    # README's operators run it, the file's bytes per table (dbstat), and the
    # per-statement timer handed to Store.for_page
    "bench/sqltime.py",
    # the bare sqlite-utils insert that issue 20 compares save_page with
    "bench/store_throughput.py",
    # an FTS5 table in memory, not the project's database: how many segments
    # collection leaves under each merge setting (docs/scale.md)
    "bench/fts_segments.py",
}
RAW_DATABASE_EXCEPTIONS = {
    # Datasette opens the SQLite file itself and hands the page its own
    # connections: guarded by storage.page_access.guard, queried through
    # Store.for_page(conn). The one door in listener to a connection.
    "listener/web/plugin.py",
    "bench/kill_resume_rss.py",  # as above
    "bench/sqltime.py",  # as above
    "bench/store_throughput.py",  # as above
    "bench/fts_segments.py",  # as above
    # the benchmark's own server administration: a fresh database per run
    # (CREATE/DROP DATABASE), outside the code under test
    "bench/pg_collect.py",
    "bench/pg_scale.py",
    "bench/pg_copy.py",
}


def _report(violations: list[Violation]) -> str:
    return "\n".join(str(v) for v in violations)


def test_the_import_table_holds() -> None:
    found = import_table(ROOT)
    assert not found, _report(found)


def test_listener_layers_go_one_way() -> None:
    found = listener_layers(ROOT)
    assert not found, _report(found)


def test_no_sql_outside_storage() -> None:
    found = sql_outside_storage(ROOT, frozenset(SQL_EXCEPTIONS))
    assert not found, _report(found)


def test_nothing_outside_storage_holds_the_database() -> None:
    found = raw_database_outside_storage(ROOT, frozenset(RAW_DATABASE_EXCEPTIONS))
    assert not found, _report(found)


def test_every_exception_is_still_needed() -> None:
    sql = {v.path for v in sql_outside_storage(ROOT)}
    raw = {v.path for v in raw_database_outside_storage(ROOT)}
    assert sql >= SQL_EXCEPTIONS, SQL_EXCEPTIONS - sql
    assert raw >= RAW_DATABASE_EXCEPTIONS, RAW_DATABASE_EXCEPTIONS - raw


def test_the_web_page_takes_its_sql_and_its_guard_from_storage(tmp_path: Path) -> None:
    """Datasette serves storage's canned queries, and every connection it
    opens for the page is made read-only and authorised by storage."""
    from listener.config import parse_settings
    from listener.query.service import QueryContext
    from listener.web import plugin
    from listener.web.app import metadata
    from storage import Store, page_access

    settings = parse_settings("web:\n  users: {}\n", "config.yaml", check_credentials=False)
    served = metadata(settings, "db", ["posts"])["databases"]["db"]["queries"]
    assert {name: (q["title"], q["sql"]) for name, q in served.items()} == page_access.CANNED

    Store.open(tmp_path / "page.db").close()
    conn = sqlite3.connect(tmp_path / "page.db")
    datasette = type("Datasette", (), {})()  # stands for the instance the plugin serves
    plugin.CONTEXTS[datasette] = plugin.WebContext(
        "page", QueryContext("Europe/London", {}, frozenset()), 50, 12, 10, 1000)
    plugin.prepare_connection(conn, "page", datasette)
    assert Store.for_page(conn).queries.count_posts(PostFilter()) == 0  # the page's reads
    for refused in ("SELECT author_key FROM posts", "DELETE FROM posts"):
        with pytest.raises(sqlite3.DatabaseError, match=r"not authorized|prohibited"):
            conn.execute(refused)


# -- the checkers themselves, on planted trees --------------------------------

def plant(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for package in {rel.split("/")[0] for rel in files}:
        (root / package / "__init__.py").touch()
    return root


CLEAN = {
    "storage/store.py": "import sqlite3\nfrom storage.db import connect\n"
                        "SQL = 'SELECT id FROM posts'\n",
    "storage/db.py": "from sqlite_utils import Database\n",
    "nlp/topics.py": "import numpy\nfrom nlp.registry import classifier\n",
    "nlp/registry.py": "",
    "reports/compute.py": "from storage import Store\nfrom nlp.registry import classifier\n",
    "listener/normalise/x.py": "from storage.records import Post\n",
    "listener/pipeline.py": "from listener.normalise import x\nfrom listener import config\n",
    "listener/config.py": "from listener.web.settings import WebSettings\n",
    "listener/web/settings.py": "",
    "listener/cli/run.py": "from listener import pipeline\nfrom listener.web import page\n"
                           "def go(store):\n    return store.runs.last('x')\n",
    "listener/web/page.py": "'''A docstring may say SELECT this FROM that.'''\n",
}


def test_a_clean_tree_passes_every_rule(tmp_path: Path) -> None:
    root = plant(tmp_path, CLEAN)
    assert import_table(root) == []
    assert listener_layers(root) == []
    assert sql_outside_storage(root) == []
    assert raw_database_outside_storage(root) == []


@pytest.mark.parametrize(("path", "text", "expected"), [
    ("storage/bad.py", "from listener.config import Settings\n", "storage imports listener"),
    ("storage/bad.py", "import reports.write\n", "storage imports reports.write"),
    ("storage/bad.py", "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                       "    from listener import config\n", "storage imports listener.config"),
    ("nlp/bad.py", "def f():\n    from storage import Store\n", "nlp imports storage"),
    ("nlp/bad.py", "import importlib\nimportlib.import_module(f'listener.{x}')\n",
     "nlp imports listener"),
    ("reports/bad.py", "from listener.query import weeks\n", "reports imports listener"),
    ("reports/bad.py", "from ..listener import config\n", "reports imports listener"),
    ("storage/bad.py", "from tests.paths import ROOT\n", "storage imports tests"),
])
def test_the_import_table_finds_a_planted_import(tmp_path: Path, path: str, text: str,
                                                 expected: str) -> None:
    root = plant(tmp_path, {**CLEAN, "listener/query/weeks.py": "", path: text})
    found = import_table(root)
    assert len(found) == 1 and expected in found[0].detail, _report(found)


@pytest.mark.parametrize(("path", "text", "expected"), [
    ("listener/normalise/bad.py", "from listener.pipeline import collect\n",
     "normalise (layer 0) imports listener.pipeline"),
    ("listener/sources/bad.py", "from listener.cli import app\n", "sources (layer 0)"),
    ("listener/query/bad.py", "from listener.web import page\n", "query (layer 1)"),
    ("listener/normalise/bad.py", "from listener import pipeline\n",
     "normalise (layer 0) imports listener.pipeline"),
    ("listener/web/settings.py", "from listener.web import page\n",
     "section models (layer 0) imports listener.web.page"),
    ("listener/newthing/mod.py", "", "newthing has no layer"),
])
def test_the_layers_find_a_planted_upward_import(tmp_path: Path, path: str, text: str,
                                                 expected: str) -> None:
    root = plant(tmp_path, {**CLEAN, path: text})
    found = listener_layers(root)
    assert len(found) == 1 and expected in found[0].detail, _report(found)


@pytest.mark.parametrize("text", [
    "Q = 'SELECT id FROM posts WHERE x = ?'\n",
    "def f(t):\n    return f'DELETE FROM {t} WHERE id = ?'\n",
    "Q = ('INSERT OR IGNORE INTO cursors'\n     ' VALUES (?)')\n",
    "Q = \"UPDATE runs SET status = 'ok'\"\n",
    "Q = 'CREATE TEMP TABLE x (id)'\n",
    "def f(conn):\n    conn.execute('PRAGMA query_only = 1')\n",
])
def test_no_sql_finds_a_planted_statement(tmp_path: Path, text: str) -> None:
    root = plant(tmp_path, {**CLEAN, "listener/query/bad.py": text})
    found = sql_outside_storage(root)
    assert [v.path for v in found] == ["listener/query/bad.py"], _report(found)
    assert sql_outside_storage(root, frozenset({"listener/query/bad.py"})) == []


@pytest.mark.parametrize("text", [
    "def f(store):\n    return store.db.execute('x')\n",
    "def f(store):\n    return store.db\n",
    "import sqlite3\nc = sqlite3.connect('x.db')\n",
    "from sqlite3 import Connection\n",
    "import sqlite3\ndef f(c: sqlite3.Connection) -> None: ...\n",
    "from sqlite_utils import Database\n",
    "def f(x):\n    x.set_authorizer(None)\n",
    "def f(store):\n    return store.sql.execute('x')\n",
    "import psycopg\n",
    "from psycopg_pool import ConnectionPool\n",
])
def test_the_handle_rule_finds_a_planted_use(tmp_path: Path, text: str) -> None:
    root = plant(tmp_path, {**CLEAN, "reports/bad.py": text})
    found = raw_database_outside_storage(root)
    assert [v.path for v in found] == ["reports/bad.py"], _report(found)

"""Helpers for the privacy tests: a ``store`` on both backends, settings whose
database is that store's (its SQLite file, or its PostgreSQL database), and
posts."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from listener.config import Settings, parse_settings
from listener.privacy.pseudonym import Pseudonymiser
from storage import LabelRecord, Post, Quarantined, Store, StoredItem
from tests.paths import STORE_FILE
from tests.pg import DSN_ENV, fts_ids

KEY = "test-key-0123456789abcdef0123456789"


@pytest.fixture
def store(any_store: Store) -> Store:
    """Every privacy test that takes a store runs on both backends
    (``tests.pg.sqlite_only`` keeps one to SQLite, with the reason)."""
    return any_store


def storage_section(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """The config's ``storage`` section for the test's store: the ``store``
    fixture's file, or (a test on ``any_store``'s PostgreSQL half) its
    database, the DSN in ``$CIVIC_LISTENER_DSN`` for the test."""
    section = f"storage:\n  path: {STORE_FILE}\n"
    if "any_store" in request.fixturenames and \
            request.getfixturevalue("any_store").backend == "postgresql":
        monkeypatch.setenv(DSN_ENV, request.getfixturevalue("pg_dsn"))
        section += f"  backend: postgresql\n  dsn_env: {DSN_ENV}\n"
    return section


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
             request: pytest.FixtureRequest) -> Settings:
    monkeypatch.setenv("CIVIC_LISTENER_PSEUDONYM_KEY", KEY)
    path = tmp_path / "config.yaml"
    path.write_text(storage_section(request, monkeypatch)
                    + "privacy:\n  retention_days: 400\n  raw_retention_days: 30\n")
    settings = parse_settings(path.read_text(), str(path), check_credentials=False)
    return settings


def pseudonymiser() -> Pseudonymiser:
    return Pseudonymiser(KEY.encode())


def make_post(native_id: str, text: str, *, platform: str = "x", handle: str | None = "someone",
              created: datetime | None = None, url: str | None = None) -> Post:
    post = Post(platform=platform, native_id=native_id, text=text,
                created_at=created or datetime(2026, 11, 20, 12, tzinfo=UTC),
                url=url or f"https://x.com/{handle}/status/{native_id}", author_handle=handle)
    return pseudonymiser().apply(post)


def save(store: Store, posts: list[Post], *, source: str = "src",
         quarantined: list[Quarantined] | None = None,
         raws: dict[str, dict[str, Any]] | None = None, label: bool = True) -> list[int]:
    """Store posts (raw payload: ``raws[native_id]`` or a minimal tweet),
    each with one topic label unless ``label`` is false."""
    run = store.runs.start(source)
    raws = raws or {}
    result = store.collect.save_page(
        source=source, run_id=run,
        items=[StoredItem(p, raws.get(p.native_id, {"tweet": {"id": p.native_id,
                                                               "text": p.text}}))
               for p in posts],
        quarantined=quarantined or [], query="q", cursor={"since_id": "1"})
    store.runs.finish(run, "ok")
    ids = [store.sql.execute("SELECT id FROM posts WHERE platform = ? AND native_id = ?",
                             [p.platform, p.native_id]).fetchone()[0] for p in posts]
    if not label:
        return ids
    labels = [LabelRecord(pid, "topic", "waste_recycling", 1.0, "topics.keywords", "1",
                          None, ("bins",)) for pid in ids]
    store.labels.save("topic", "topics.keywords", "1", "h", ids, labels)
    assert result.new + result.duplicates + result.blocked == len(posts)
    return ids


def count(store: Store, table: str) -> int:
    return int(store.sql.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def fts_hits(store: Store, word: str) -> int:
    """Posts the full-text index finds for ``word`` (``tests.pg.fts_ids``)."""
    return len(fts_ids(store, word))


def dead_rows(store: Store, table: str) -> int:
    """PostgreSQL: the table's dead tuples (deleted or updated rows' old
    versions still in the heap) as the statistics count them."""
    return int(store.sql.execute(
        "SELECT n_dead_tup FROM pg_stat_user_tables WHERE relname = ?", [table]).fetchone()[0])


def set_time(store: Store, table: str, column: str, value: str, where: str = "1 = 1") -> None:
    with store.sql.transaction():
        store.sql.execute(f"UPDATE {table} SET {column} = ? WHERE {where}", [value])

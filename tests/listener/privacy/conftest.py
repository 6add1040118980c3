"""Helpers for the privacy tests: settings whose database is the shared
``store`` fixture's file, and posts."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from listener.config import Settings, parse_settings
from listener.privacy.pseudonym import Pseudonymiser
from storage import LabelRecord, Post, Quarantined, Store, StoredItem
from tests.paths import STORE_FILE

KEY = "test-key-0123456789abcdef0123456789"


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setenv("CIVIC_LISTENER_PSEUDONYM_KEY", KEY)
    path = tmp_path / "config.yaml"
    path.write_text(f"storage:\n  path: {STORE_FILE}\nprivacy:\n  retention_days: 400\n"
                    "  raw_retention_days: 30\n")
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
    """Posts the full-text index finds for ``word``: FTS5's on SQLite, the
    posts' tsvector (GIN) on PostgreSQL."""
    if store.backend == "postgresql":
        return int(store.sql.execute(
            "SELECT count(*) FROM posts WHERE search @@ to_tsquery('civic_search', ?)",
            [word]).fetchone()[0])
    return int(store.db.execute("SELECT count(*) FROM posts_fts WHERE posts_fts MATCH ?",
                                [word]).fetchone()[0])


def dead_rows(store: Store, table: str) -> int:
    """PostgreSQL: the table's dead tuples (deleted or updated rows' old
    versions still in the heap) as the statistics count them."""
    return int(store.sql.execute(
        "SELECT n_dead_tup FROM pg_stat_user_tables WHERE relname = ?", [table]).fetchone()[0])


def set_time(store: Store, table: str, column: str, value: str, where: str = "1 = 1") -> None:
    with store.sql.transaction():
        store.sql.execute(f"UPDATE {table} SET {column} = ? WHERE {where}", [value])

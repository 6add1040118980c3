"""normalise+store writes what it wrote before its speed-ups (issue 20):
the same sample pages stored with each fast path on, and with each off
(None bound as None, every HTML fragment through HTMLParser), leave every
table with the same rows."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from listener import pipeline
from listener.normalise import fields
from listener.privacy.pseudonym import Pseudonymiser
from listener.sample import generate_pages
from listener.sample.pages import REAL_PAGE_SIZES
from storage import Store, collect, db, runs

NOW = "2026-11-22T12:00:00+00:00"


def _store_sample(path: Path) -> dict[str, list[tuple[object, ...]]]:
    pages = list(generate_pages(1500, seed=3, weeks=1, end=date(2026, 11, 22),
                                page_size=REAL_PAGE_SIZES))
    pseudonymiser = Pseudonymiser(b"equivalence-key-" * 2)
    with Store.open(path) as store:
        run = store.runs.start("sample")
        for page in pages:
            items, bad = pipeline.normalise_page(page, pseudonymiser,
                                                 datetime(2026, 11, 22, 12, tzinfo=UTC))
            store.collect.save_page(source="sample", run_id=run, items=items, quarantined=bad,
                                    query=page.query, cursor=page.cursor, request=page.request,
                                    collector_version="test")
        # every table but migration bookkeeping (with times) and the full-text
        # index's virtual table (its shadow tables, the index itself, are compared)
        tables = [t for t in store.sql.tables() if t != "posts_fts" and not t.startswith("_")]
        return {t: sorted((tuple(r) for r in store.sql.execute(f"SELECT * FROM {t}")), key=repr)
                for t in tables}


def test_the_fast_paths_store_what_the_plain_ones_stored(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(collect, "utcnow", lambda: NOW)
    monkeypatch.setattr(runs, "utcnow", lambda: NOW)
    fast = _store_sample(tmp_path / "fast.db")
    monkeypatch.setattr(db, "BIND_NULL", None)
    monkeypatch.setattr(fields, "_plain_parts", lambda _markup: None)
    plain = _store_sample(tmp_path / "plain.db")
    assert fast.keys() == plain.keys()
    assert len(fast["posts"]) > 1000 and len(fast["conversations"]) == len(fast["posts"])
    assert any(None in row for row in fast["posts"])  # NULLs were bound
    for table, rows in plain.items():
        assert fast[table] == rows, table

"""Retention: expired posts leave every table and the full-text index;
raw payloads and quarantine have their own, shorter period. On both
backends (``store`` here is ``any_store``)."""

from __future__ import annotations

from datetime import UTC, datetime

from listener.config import Settings
from listener.privacy.retention import purge
from storage import Quarantined, Store

from .conftest import count, dead_rows, fts_hits, make_post, save, set_time

NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)


def _fixture(store: Store) -> tuple[list[int], list[int]]:
    old = save(store, [
        make_post("1", "zorblax bins overflowing", created=datetime(2025, 9, 1, tzinfo=UTC)),
        make_post("2", "zorblax recycling missed", created=datetime(2025, 10, 1, tzinfo=UTC)),
    ])
    fresh = save(store, [make_post("3", "quimbly pothole on the high street")],
                 quarantined=[Quarantined("x", "bad", {"tweet": {"id": "9"}})])
    return old, fresh


def test_purge_removes_expired_posts_from_every_table_and_the_index(
        settings: Settings, store: Store) -> None:
    old, fresh = _fixture(store)
    # a cache table a later module might add, keyed by post id without a cascade
    with store.sql.transaction():
        store.sql.execute("CREATE TABLE report_cache (post_id INTEGER, snippet TEXT)")
        store.sql.executemany("INSERT INTO report_cache VALUES (?, 'x')", [(i,) for i in old])
    assert fts_hits(store, "zorblax") == 2

    report = purge(settings, store, now=NOW)

    assert report.counts["posts"] == 2
    assert report.counts["post_matches"] == 2
    assert report.counts["labels"] == 2 and report.counts["label_state"] == 2
    assert report.counts["raw_payloads"] == 2 and report.counts["report_cache"] == 2
    assert count(store, "posts") == 1
    for table in ("post_matches", "raw_payloads", "labels", "label_state"):
        left = [r[0] for r in store.sql.execute(f"SELECT post_id FROM {table}")]
        assert left == fresh, table
    assert count(store, "report_cache") == 0
    assert fts_hits(store, "zorblax") == 0
    assert fts_hits(store, "quimbly") == 1
    assert count(store, "quarantine") == 1   # received now: within raw retention
    assert store.rollups.check() == []
    if store.backend == "postgresql":  # VACUUMed after the commit: no dead row left
        for table in ("posts", "post_matches", "raw_payloads", "labels", "report_cache"):
            assert dead_rows(store, table) == 0, table


def test_raw_payloads_and_quarantine_have_their_own_shorter_retention(
        settings: Settings, store: Store) -> None:
    _, fresh = _fixture(store)
    set_time(store, "raw_payloads", "retrieved_at", "2026-10-01T00:00:00+00:00")
    set_time(store, "quarantine", "received_at", "2026-10-01T00:00:00+00:00")

    report = purge(settings, store, now=NOW)

    assert report.counts["raw_payloads"] == 3 and report.counts["quarantine"] == 1
    assert count(store, "raw_payloads") == 0 and count(store, "quarantine") == 0
    # the post itself is well within its 400 days and stays, labels included
    assert [r[0] for r in store.sql.execute("SELECT id FROM posts")] == fresh
    assert count(store, "labels") == 1


def test_dry_run_counts_without_deleting(settings: Settings, store: Store) -> None:
    _fixture(store)
    before = {t: count(store, t) for t in ("posts", "raw_payloads", "labels", "quarantine")}

    report = purge(settings, store, now=NOW, dry_run=True)

    assert report.dry_run and report.counts["posts"] == 2
    assert {t: count(store, t) for t in before} == before
    assert fts_hits(store, "zorblax") == 2
    assert "would delete" in report.lines()[0]


def test_foreign_key_cascade_removes_children_on_a_plain_delete(store: Store) -> None:
    """The schema's ON DELETE CASCADE holds (foreign keys are on)."""
    ids = save(store, [make_post("5", "cascade check")])
    with store.sql.transaction():
        store.sql.execute("DELETE FROM posts WHERE id = ?", [ids[0]])
    for table in ("post_matches", "raw_payloads", "labels", "label_state"):
        assert count(store, table) == 0, table


def test_retention_periods_come_from_config(settings: Settings, store: Store) -> None:
    _fixture(store)
    settings.privacy.retention_days = 1000
    assert purge(settings, store, now=NOW).counts["posts"] == 0
    assert count(store, "posts") == 3

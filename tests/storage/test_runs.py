"""The runs table on both backends: a run's counters, how it ended, the
abandoned runs of a killed process, and the health figures read from it."""

from __future__ import annotations

from datetime import UTC, datetime

from storage import Post, Store, StoredItem


def _page(*ids: str) -> list[StoredItem]:
    return [StoredItem(Post("x", i, "bins", datetime(2026, 11, 17, tzinfo=UTC),
                            author_key=f"k{i}"), {}) for i in ids]


def test_a_run_counts_its_pages_and_says_how_it_ended(any_store: Store) -> None:
    runs = any_store.runs
    run = runs.start("s")
    any_store.collect.save_page(source="s", run_id=run, items=_page("1", "2"))
    any_store.collect.save_page(source="s", run_id=run, items=_page("2", "3"), fetched=5)
    runs.finish(run, "ok")
    (record,) = runs.recent("s")
    assert (record.id, record.status, record.fetched, record.new, record.duplicates) == (
        run, "ok", 7, 3, 1)
    assert record.ended_at is not None and runs.last_started("s") == record.started_at
    assert runs.last("s", "ok") == record and runs.last("other") is None


def test_runs_left_running_by_a_killed_process_are_closed_as_interrupted(
        any_store: Store) -> None:
    runs = any_store.runs
    a, b, c = runs.start("s"), runs.start("s"), runs.start("t")
    runs.finish(a, "ok")
    assert runs.close_abandoned("s") == 1
    assert {r.id: r.status for r in runs.recent()} == {a: "ok", b: "interrupted", c: "running"}
    assert runs.last("s", finished_only=True).id == a  # type: ignore[union-attr]
    assert runs.close_abandoned() == 1


def test_failures_and_empty_runs_in_a_row(any_store: Store) -> None:
    runs = any_store.runs
    for status in ("failed", "ok", "failed", "failed"):
        runs.finish(runs.start("s"), status, "boom" if status == "failed" else None)
    assert runs.failures_in_a_row("s") == 2
    assert runs.last("s").error == "boom"  # type: ignore[union-attr]
    with_posts = runs.start("e")
    any_store.collect.save_page(source="e", run_id=with_posts, items=_page("1"))
    runs.finish(with_posts, "ok")
    for _ in range(3):
        runs.finish(runs.start("e"), "ok")
    assert runs.empty_in_a_row("e") == 3
    assert [r.id for r in runs.recent("e", limit=2)] == sorted(
        [r.id for r in runs.recent("e")], reverse=True)[:2]

"""Small bookkeeping tables on both backends: relabels, reports written,
report weeks to write again after an erasure, platform deletion re-checks."""

from __future__ import annotations

from datetime import UTC, datetime

from storage import Post, Store, StoredItem


def test_relabels_are_listed_oldest_first(any_store: Store) -> None:
    relabels = any_store.relabels
    relabels.record("topic", since=None, config_hash="h1", posts=10)
    relabels.record("sentiment", since="2026-11-01T00:00:00Z", config_hash="h2", posts=3)
    assert [(r.task, r.since, r.config_hash, r.posts) for r in relabels.history()] == [
        ("topic", None, "h1", 10), ("sentiment", "2026-11-01T00:00:00Z", "h2", 3)]


def test_the_last_report_of_a_week_is_the_latest_written(any_store: Store) -> None:
    log = any_store.report_log
    assert log.last("2026-W47") is None
    log.record("2026-W47", "h1", {"posts": 10})
    log.record("2026-W47", "h2", {"posts": 12, "topics": {"waste": 4}})
    log.record("2026-W48", "h2", {"posts": 1})
    last = log.last("2026-W47")
    assert last is not None and (last.config_hash, last.figures) == (
        "h2", {"posts": 12, "topics": {"waste": 4}})


def test_weeks_to_rewrite_merge_their_formats_until_done(any_store: Store) -> None:
    rewrites = any_store.report_rewrites
    rewrites.add({"2026-W47": ["html"], "2026-W46": ["pdf"]})
    rewrites.add({"2026-W47": ["pdf", "html"]})
    assert rewrites.pending() == {"2026-W47": {"html", "pdf"}, "2026-W46": {"pdf"}}
    rewrites.done("2026-W47")
    assert rewrites.pending() == {"2026-W46": {"pdf"}}


def test_deletion_checks_take_unchecked_posts_first_and_skip_the_sample(
        any_store: Store) -> None:
    store = any_store
    run = store.runs.start("live")
    posts = [Post("x", str(i), "bins", datetime(2026, 11, 17, tzinfo=UTC), author_key=f"k{i}")
             for i in range(4)]
    ids = store.collect.save_page(source="live", run_id=run,
                                  items=[StoredItem(p, {}) for p in posts[:3]]).new_ids
    store.collect.save_page(source="sample", run_id=run, items=[StoredItem(posts[3], {})])
    checks = store.deletion_checks
    store.deletion_checks.mark_checked([ids[0]], "2026-11-20T00:00:00Z")
    due = checks.due("x", collected_after="2000-01-01", checked_before="2026-11-21",
                     limit=10, exclude_sources=["sample"])
    assert [d[0] for d in due] == [ids[1], ids[2], ids[0]]  # never checked first
    assert checks.overdue_first_checks("x", "9999-01-01", exclude_sources=["sample"]) == 2
    assert checks.overdue_first_checks("x", "9999-01-01") == 3

"""Reads that join posts to their labels keep their join order without the
planner's statistics: a database nothing has analysed (every real
deployment: no command runs ``ANALYZE``) plans them as an analysed one."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from storage import Store
from storage.period_posts import PeriodPosts
from storage.query_plan import PostFilter
from tests.rollup_corpus import START, corpus


def _plans(store: Store, read: str) -> list[list[str]]:
    """EXPLAIN QUERY PLAN of each statement ``read`` runs (as SQLite expanded it)."""
    seen: list[str] = []
    store.db.conn.set_trace_callback(seen.append)
    posts = PeriodPosts(store.sql, (START.isoformat(), "2026-12-01T00:00:00+00:00"))
    getattr(posts, read)(*(("parks",) if read == "topic_overlap" else ()))
    store.db.conn.set_trace_callback(None)
    wanted = [s for s in seen if "labels" in s and s.lstrip().upper().startswith("SELECT")]
    return [[str(r[3]) for r in store.db.execute(f"EXPLAIN QUERY PLAN {s}")] for s in wanted]


def test_a_periods_other_labels_are_looked_up_by_post_not_walked_by_task(
        tmp_path: Path) -> None:
    """Topic overlap and places by topic join each of the period's labels
    (``t``, on the labels index by task and label) to the post's other
    labels by key. Left to choose without statistics, SQLite walked every
    label of the task instead (``l``/``tl`` on the index by task alone): at
    1M posts the report took 0.74 s against 0.12 s analysed (docs/scale.md)."""
    store = Store.open(tmp_path / "plain.db")
    corpus(store, n=300)
    assert store.db.execute(
        "SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'").fetchone()[0] == 0
    for read in ("topic_overlap", "place_topics"):
        plans = _plans(store, read)
        joined = [p for p in plans if any(" l " in f" {r} " or " tl " in f" {r} " for r in p)]
        assert joined, (read, plans)
        for plan in joined:
            searches = [r for r in plan if r.startswith(("SEARCH", "SCAN"))]
            assert searches[0].startswith("SEARCH t "), (read, plan)
            assert not any(r.startswith(("SCAN l", "SCAN tl")) or "(task=?)" in r
                           for r in searches[1:]), (read, plan)
    store.close()


def test_a_facets_posts_are_found_first_then_their_labels_by_key(tmp_path: Path) -> None:
    """The query page's topic and sentiment facets count the labels of the
    matching posts. Without statistics SQLite walked every label of the
    facet's task instead (``l`` on the index by task alone) and probed each
    post: the whole page for a topic and week at 10M posts took 14.9 s and
    hit the page's time limit (0.45 s with the posts first; docs/scale.md)."""
    store = Store.open(tmp_path / "plain.db")
    corpus(store, n=300)
    assert store.db.execute(
        "SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'").fetchone()[0] == 0
    week = PostFilter(topics=("parks",), since=START.isoformat(),
                      until=(START + timedelta(weeks=1)).isoformat())
    for facet in ("topic", "sentiment"):
        seen: list[str] = []
        store.db.conn.set_trace_callback(seen.append)
        counts = store.queries.facet_counts(week, facet)
        store.db.conn.set_trace_callback(None)
        assert counts, facet  # the week has parks posts with labels
        (statement,) = [s for s in seen if "JOIN labels l" in s]
        plan = [str(r[3]) for r in store.db.execute(f"EXPLAIN QUERY PLAN {statement}")]
        searches = [r for r in plan if r.startswith(("SEARCH", "SCAN"))]
        assert searches[0].startswith("SEARCH p "), (facet, plan)
        assert not any(r.startswith("SCAN l") or "(task=?)" in r for r in searches), (facet, plan)
    store.close()

"""Reads that join posts to their labels keep their join order without the
planner's statistics: a database nothing has analysed (every real
deployment: no command runs ``ANALYZE``) plans them as an analysed one."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from storage import Store
from storage.period_posts import PeriodPosts
from storage.query_plan import PostFilter
from tests.rollup_corpus import START, corpus


def _unanalysed(tmp_path: Path) -> Store:
    """A store holding the rollup corpus, never analysed."""
    store = Store.open(tmp_path / "plain.db")
    corpus(store, n=300)
    assert store.db.execute(
        "SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'").fetchone()[0] == 0
    return store


def _searches(store: Store, read: Callable[[], object], joined: str) -> list[list[str]]:
    """The SEARCH and SCAN rows of ``EXPLAIN QUERY PLAN`` for each statement
    ``read`` runs (as SQLite expanded it) that holds ``joined``."""
    seen: list[str] = []
    store.db.conn.set_trace_callback(seen.append)
    try:
        assert read()  # the corpus has rows for each read
    finally:
        store.db.conn.set_trace_callback(None)
    plans = [[str(r[3]) for r in store.db.execute(f"EXPLAIN QUERY PLAN {s}")]
             for s in seen if joined in s]
    assert plans, joined
    return [[r for r in plan if r.startswith(("SEARCH", "SCAN"))] for plan in plans]


def test_a_periods_other_labels_are_looked_up_by_post_not_walked_by_task(
        tmp_path: Path) -> None:
    """Topic overlap and places by topic join each of the period's labels
    (``t``, on the labels index by task and label) to the post's other
    labels by key. Left to choose without statistics, SQLite walked every
    label of the task instead (``l``/``tl`` on the index by task alone): at
    1M posts the report took 0.74 s against 0.12 s analysed (docs/scale.md)."""
    store = _unanalysed(tmp_path)
    posts = PeriodPosts(store.sql, (START.isoformat(), "2026-12-01T00:00:00+00:00"))
    for read, joined in ((lambda: posts.topic_overlap("parks"), "labels l"),
                         (posts.place_topics, "labels tl")):
        for searches in _searches(store, read, joined):
            assert searches[0].startswith("SEARCH t "), (joined, searches)
            assert not any(r.startswith(("SCAN l", "SCAN tl")) or "(task=?)" in r
                           for r in searches[1:]), (joined, searches)
    store.close()


def test_a_facets_posts_are_found_first_then_their_labels_by_key(tmp_path: Path) -> None:
    """The query page's topic and sentiment facets count the labels of the
    matching posts. Without statistics SQLite walked every label of the
    facet's task instead (``l`` on the index by task alone) and probed each
    post: the whole page for a topic and week at 10M posts took 14.9 s and
    hit the page's time limit (0.45 s with the posts first; docs/scale.md)."""
    store = _unanalysed(tmp_path)
    week = PostFilter(topics=("parks",), since=START.isoformat(),
                      until=(START + timedelta(weeks=1)).isoformat())
    for facet in ("topic", "sentiment"):
        (searches,) = _searches(store, lambda: store.queries.facet_counts(week, facet),
                                "JOIN labels l")
        assert searches[0].startswith("SEARCH p "), (facet, searches)
        assert not any(r.startswith("SCAN l") or "(task=?)" in r for r in searches), (
            facet, searches)
    store.close()

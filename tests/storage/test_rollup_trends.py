"""The query page's counts and weekly trend (``listener trends``, the
page's chart and match count) read the rollups on both backends
(``storage.rollup_trends``), and give the same figures as the posts
themselves, and the same on PostgreSQL as on SQLite, for the same posts
(the rollup corpus, with posts still waiting to be labelled)."""

from __future__ import annotations

import pytest

from storage import Store
from storage.queries import WeekCount
from storage.query_plan import PostFilter
from storage.rollup_trends import count_from_rollups, weekly_from_rollups
from storage.timefmt import iso, week_bounds
from tests.reports.test_report_window_postgresql import pair

__all__ = ["pair"]  # the same corpus on SQLite and on PostgreSQL (module-scoped)

FILTERS = [
    PostFilter(), PostFilter(topics=("parks",)),
    PostFilter(topics=("waste_recycling",), sentiments=("negative", "positive")),
    PostFilter(platforms=("x", "rss")),
    PostFilter(topics=("roads_potholes",), platforms=("reddit",), sentiments=("neutral",)),
]


def _weeks(first: int, last: int) -> list[tuple[str, str, str]]:
    out = []
    for number in range(first, last + 1):
        start, end = week_bounds(2026, number, "Europe/London")
        out.append((f"2026-W{number}", iso(start), iso(end)))
    return out


def _from_posts(store: Store, f: PostFilter, weeks: list[tuple[str, str, str]],
                week: PostFilter) -> tuple[list[WeekCount], int]:
    store.read_rollups = False
    try:
        return store.queries.weekly_counts(f, weeks), store.queries.count_posts(week)
    finally:
        store.read_rollups = True


@pytest.mark.parametrize("f", FILTERS)
def test_trends_and_counts_from_the_rollups_on_both_backends(
        pair: tuple[Store, Store], f: PostFilter) -> None:
    weeks = _weeks(37, 49)
    week = PostFilter(f.topics, f.sentiments, f.platforms, since=weeks[-2][1],
                      until=weeks[-2][2])
    found = {}
    for store in pair:
        assert weekly_from_rollups(store.sql, f, weeks) is not None, store.backend
        assert count_from_rollups(store.sql, week) is not None, store.backend
        rolled = store.queries.weekly_counts(f, weeks)
        count = store.queries.count_posts(week)
        assert (rolled, count) == _from_posts(store, f, weeks, week), store.backend
        assert sum(w.total for w in rolled) > 0 and count > 0
        found[store.backend] = (rolled, count)
    assert found["postgresql"] == found["sqlite"]


def test_what_the_rollups_cannot_answer_is_counted_from_the_posts_on_both(
        pair: tuple[Store, Store]) -> None:
    weeks = _weeks(47, 47)
    shifted = [(weeks[0][0], weeks[0][1].replace("T00:", "T01:"), weeks[0][2])]
    for store in pair:
        for f in (PostFilter(topics=("parks", "waste_recycling")),
                  PostFilter(sources=("rss-news",)), PostFilter(match="park")):
            assert weekly_from_rollups(store.sql, f, weeks) is None
        assert weekly_from_rollups(store.sql, PostFilter(), shifted) is None
    totals = [store.queries.weekly_counts(PostFilter(match="park"), weeks) for store in pair]
    assert totals[0] == totals[1] and totals[0][0].total > 0


def test_the_page_counts_read_the_rollups_on_both_backends(pair: tuple[Store, Store]) -> None:
    """A count added to the rollups (and to nothing else) shows in the
    weekly counts and the match count: they read the rollups, not the posts."""
    weeks = _weeks(47, 47)
    week = PostFilter(since=weeks[0][1], until=weeks[0][2])
    for store in pair:
        before = (store.queries.weekly_counts(PostFilter(), weeks)[0].total,
                  store.queries.count_posts(week))
        key = store.sql.execute(
            "SELECT day, voice, platform, sentiment, topic_state FROM rollup_posts"
            " WHERE day >= '2026-11-16' AND day < '2026-11-23'"
            " ORDER BY day, voice, platform, sentiment, topic_state LIMIT 1").fetchone()
        bump = ("UPDATE rollup_posts SET posts = posts + ? WHERE day = ? AND voice = ?"
                " AND platform = ? AND sentiment = ? AND topic_state = ?")
        with store.sql.transaction():
            store.sql.execute(bump, [1000, *key])
        try:
            after = (store.queries.weekly_counts(PostFilter(), weeks)[0].total,
                     store.queries.count_posts(week))
        finally:
            with store.sql.transaction():
                store.sql.execute(bump, [-1000, *key])
        assert after == (before[0] + 1000, before[1] + 1000), store.backend

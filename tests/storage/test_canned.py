"""The page's canned queries run through ``store.canned`` on both backends
(on PostgreSQL the page runs them itself): the same rows, the floor
applied, parameters bound, only the named queries."""

from __future__ import annotations

from storage import Store
from tests.listener.audit.conftest import week_specs
from tests.reports.builders import add

WEEK = {"since": "2026-11-16", "until": "2026-11-23"}


def test_the_canned_queries_on_each_backend(any_store: Store) -> None:
    add(any_store, week_specs())
    topics = any_store.canned.run("q_topic_counts", WEEK, floor=10, limit=100)
    assert topics is not None
    assert topics.columns == ["topic", "posts", "negative", "neutral", "positive"]
    # 24 bins posts (11 negative; neutral 7 and positive 6 are under the floor);
    # 6 roads posts: under it, not listed
    assert topics.rows == [("waste_recycling", 24, 11, None, None)]
    assert topics.params == WEEK and not topics.truncated
    platforms = any_store.canned.run("q_platform_counts", {**WEEK, "floor": "1"}, floor=10,
                                     limit=100)
    assert platforms is not None and platforms.rows == [("x", 30)]
    assert platforms.params == WEEK  # nothing else is bound
    lower = any_store.canned.run("q_topic_counts", WEEK, floor=5, limit=100)
    assert lower is not None and lower.rows == [("waste_recycling", 24, 11, 7, 6),
                                                ("roads_potholes", 6, 6, None, None)]
    capped = any_store.canned.run("q_topic_counts", WEEK, floor=5, limit=1)
    assert capped is not None and capped.truncated and len(capped.rows) == 1
    empty = any_store.canned.run("q_topic_counts", {}, floor=10, limit=100)
    assert empty is not None and empty.rows == [] and empty.params == {"since": "", "until": ""}
    assert any_store.canned.run("q_nope", WEEK, floor=10, limit=100) is None

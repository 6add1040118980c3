"""Filters, weeks, facets and trends on the hand-built database."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from listener.config import load_settings
from listener.query.filters import FilterError, QueryFilters
from listener.query.service import QueryContext, run_query
from listener.query.trends import share_of, trend
from listener.query.weeks import weeks_ending
from reports.stats import wilson
from storage import Store
from tests.listener.query.builders import post_key


@pytest.fixture()
def ctx(query_config: Path) -> QueryContext:
    return QueryContext.from_settings(load_settings(query_config, check_credentials=False))


def urls(result: object) -> list[str]:
    """``platform/id`` of each row (links name no account, and some platforms have none)."""
    return [post_key(p.platform, p.text) for p in result.posts]  # type: ignore[attr-defined]


def test_topic_and_sentiment_filters(query_store: Store, ctx: QueryContext) -> None:
    result = run_query(query_store, ctx,
                       QueryFilters(topics=["roads_potholes"], sentiments=["negative"]))
    assert urls(result) == ["bluesky/5", "reddit/8", "x/7", "x/1"]  # newest first
    assert result.total == 4
    several = run_query(query_store, ctx, QueryFilters(topics=["Libraries", "waste_recycling"]))
    assert sorted(urls(several)) == ["bluesky/5", "mastodon/3", "x/6"]


def test_platform_source_and_words(query_store: Store, ctx: QueryContext) -> None:
    reddit = run_query(query_store, ctx, QueryFilters(platforms=["Reddit"]))
    assert urls(reddit) == ["reddit/8", "reddit/2"]
    assert run_query(query_store, ctx, QueryFilters(sources=["fixture"])).total == 9
    assert run_query(query_store, ctx, QueryFilters(sources=["elsewhere"])).total == 0
    assert urls(run_query(query_store, ctx, QueryFilters(text="bins overflowing"))) == ["bluesky/5"]


def test_iso_week_is_counted_in_london_time(query_store: Store, ctx: QueryContext) -> None:
    # 2026-06-28 23:30 UTC is Monday 00:30 BST: week 27 in London, not 26
    assert urls(run_query(query_store, ctx, QueryFilters(week="2026-W27"))) == ["x/9"]
    assert run_query(query_store, ctx, QueryFilters(week="2026-W26")).total == 0
    w47 = run_query(query_store, ctx, QueryFilters(week="2026W47"))
    assert sorted(urls(w47)) == ["reddit/2", "reddit/8", "x/1", "x/4", "x/7"]
    assert {p.week for p in w47.posts} == {"2026-W47"}


def test_date_range_is_inclusive_of_the_last_day(query_store: Store,
                                                 ctx: QueryContext) -> None:
    result = run_query(query_store, ctx, QueryFilters(since=date(2026, 11, 10),
                                                      until=date(2026, 11, 11)))
    assert sorted(urls(result)) == ["mastodon/3", "x/6"]


def test_bad_filters_are_plain_errors(query_store: Store, ctx: QueryContext) -> None:
    with pytest.raises(FilterError, match="unknown topic 'potholes'; did you mean "
                                          r"roads_potholes \(Roads and potholes\)\?"):
        run_query(query_store, ctx, QueryFilters(topics=["potholes"]))
    with pytest.raises(FilterError, match="either a week or a date range"):
        run_query(query_store, ctx, QueryFilters(week="2026-W47", since=date(2026, 1, 1)))
    with pytest.raises(FilterError, match="2026-W47"):
        run_query(query_store, ctx, QueryFilters(week="week 47"))
    with pytest.raises(FilterError, match="has no week 54"):
        run_query(query_store, ctx, QueryFilters(week="2026-W54"))


def test_handles_masked_and_official_author_shown(query_store: Store,
                                                   ctx: QueryContext) -> None:
    rows = {post_key(p.platform, p.text).split("/")[1]: p
            for p in run_query(query_store, ctx, QueryFilters()).posts}
    assert "@bob_smith" not in rows["1"].text and "@[user]" in rows["1"].text
    assert rows["1"].author == ""
    assert rows["4"].author == "ExampleCouncil" and "@ExampleCouncil" in rows["4"].text


def test_facet_counts(query_store: Store, ctx: QueryContext) -> None:
    f = QueryFilters(text="pothole").to_post_filter(ctx.topic_names, ctx.zone)
    assert dict(query_store.queries.facet_counts(f, "sentiment")) == {
        "negative": 4, "neutral": 2, "positive": 1}
    assert dict(query_store.queries.facet_counts(f, "topic")) == {
        "roads_potholes": 7, "waste_recycling": 1}


def test_weekly_trend_counts(query_store: Store, ctx: QueryContext) -> None:
    weeks = weeks_ending(2026, 48, 3, ctx.zone)
    rows = trend(query_store, ctx, QueryFilters(topics=["roads_potholes"]), weeks)
    assert [(r.week, r.total) for r in rows] == [("2026-W46", 0), ("2026-W47", 5),
                                                 ("2026-W48", 1)]
    w47 = rows[1].shares
    assert (w47["negative"].count, w47["neutral"].count, w47["positive"].count) == (3, 1, 1)
    assert w47["negative"].share is None  # under 10: no percentage


def test_share_has_wilson_interval_only_from_ten() -> None:
    shown = share_of(12, 40, 10)
    assert shown.share == pytest.approx(0.3)
    assert (shown.low, shown.high) == pytest.approx(wilson(12, 40))
    assert shown.low < 0.3 < shown.high
    assert share_of(9, 40, 10).share is None and share_of(9, 9, 5).share == 1.0


def test_place_filter(query_store: Store, ctx: QueryContext) -> None:
    assert urls(run_query(query_store, ctx, QueryFilters(places=["Mill Lane"]))) == ["x/1"]
    both = run_query(query_store, ctx, QueryFilters(places=["mill_lane", "high_street"]))
    assert sorted(urls(both)) == ["reddit/2", "x/1"]
    with pytest.raises(FilterError, match="unknown place 'Mill Lnae'; did you mean mill_lane"):
        run_query(query_store, ctx, QueryFilters(places=["Mill Lnae"]))

"""The page's chart for a date range: its first and last weeks hold only the
range's days, so the bars add up to the matching posts; weeks before
collection began are not drawn; the current week is marked, not a collapse."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from listener.config import load_settings
from listener.query.filters import FilterError, QueryFilters
from listener.query.service import QueryContext
from listener.query.trends import trend
from listener.query.weeks import weeks_ending
from listener.web.page import compute, export_name
from storage import Store


@pytest.fixture
def ctx(query_config: Path) -> QueryContext:
    return QueryContext.from_settings(load_settings(query_config, check_credentials=False))


@pytest.mark.parametrize(("since", "until"), [
    (date(2026, 11, 1), date(2026, 11, 30)),    # the 1-30 Nov: six weeks, cut at both ends
    (date(2026, 11, 11), date(2026, 11, 19)),   # Wednesday to Thursday
    (date(2026, 11, 18), date(2026, 11, 18)),   # one day
])
def test_chart_totals_equal_the_rows_for_a_date_range(query_store: Store, ctx: QueryContext,
                                                      since: date, until: date) -> None:
    filters = QueryFilters(since=since, until=until)
    data = compute(query_store, ctx, filters, 0, 50, 12, 10)
    assert data.error is None and data.result is not None
    assert sum(week.total for week in data.trend) == data.result.total > 0
    cut = [w for w in data.trend if w.partial]
    if since.weekday() or until.weekday() != 6:
        assert cut  # the weeks cut short say so


def test_a_range_compares_its_last_whole_weeks(query_store: Store, ctx: QueryContext) -> None:
    # to Tuesday 24 Nov: 2026-W48 holds two of its days, so the comparison is
    # W47 (whole) against W46, not a two-day week against a whole one
    data = compute(query_store, ctx, QueryFilters(since=date(2026, 11, 1),
                                                  until=date(2026, 11, 24)), 0, 50, 12, 10)
    assert [(w.week, w.partial) for w in data.trend][-1] == ("2026-W48", "to 24 Nov")
    assert [(c.this.week, c.last.week) for c in data.comparisons] == [("2026-W47", "2026-W46")]


def test_weeks_before_collection_are_left_out_and_this_week_is_so_far(
        query_store: Store, ctx: QueryContext) -> None:
    # the first stored post is in 2026-W27 (Monday 29 June, London): earlier weeks
    # are not drawn as zeros
    rows = trend(query_store, ctx, QueryFilters(), weeks_ending(2026, 28, 8, ctx.zone))
    assert [r.week for r in rows] == ["2026-W27", "2026-W28"]
    now = datetime(2026, 11, 25, 12, tzinfo=UTC)  # Wednesday of 2026-W48
    rows = trend(query_store, ctx, QueryFilters(), weeks_ending(2026, 48, 2, ctx.zone), now=now)
    assert [(r.week, r.partial) for r in rows] == [("2026-W47", ""), ("2026-W48", "so far")]


def test_unknown_topic_says_what_was_meant(ctx: QueryContext) -> None:
    with pytest.raises(FilterError, match=r"unknown topic 'bins'; did you mean "
                                          r"waste_recycling \(Bins, waste and recycling\)\?"):
        QueryFilters(topics=["bins"]).topic_slugs(ctx.topic_names, ctx.topic_words)
    with pytest.raises(FilterError, match=r"did you mean libraries"):
        QueryFilters(topics=["librarys"]).topic_slugs(ctx.topic_names, ctx.topic_words)


def test_export_file_is_named_for_what_it_holds() -> None:
    name = export_name(QueryFilters(topics=["roads_potholes"], sentiments=["negative"],
                                    since=date(2026, 11, 1), until=date(2026, 11, 30)))
    assert name == "posts_roads_potholes_negative_2026-11-01_to_2026-11-30.csv"
    assert export_name(QueryFilters(text='a "b"/../c')) == "posts_a-b-..-c.csv"

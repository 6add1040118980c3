"""The report, the daily alerts and the weekly trend counts give the same
figures from the rollups as from the posts themselves (the path before
rollups, kept as ``ReportWindow`` and the SQL of ``weekly_counts``), on a
built database whose author samples and example lists run over their
bounds, with posts still waiting to be labelled."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from reports import ReportContext, ReportSettings, compute_figures
from reports.alerts import find_alerts
from reports.figures import Figures
from reports.weeks import day_spans, previous_weeks, week_span
from storage import Store, period_posts
from storage.query_plan import PostFilter
from storage.rollup_trends import count_from_rollups, weekly_from_rollups
from storage.rollup_window import RollupWindow
from storage.timefmt import iso, week_bounds
from storage.windows import Window
from tests.rollup_corpus import OFFICIAL, TOPICS, corpus

LABELS = {slug: slug.replace("_", " ").capitalize() for slug in TOPICS}
CONTEXT = ReportContext(official_handles=frozenset({f"@{OFFICIAL}"}), organisation="Test")
NOW = datetime(2026, 12, 2, 9, tzinfo=UTC)
# what the rollups do not hold and the report may still read from a window
# over the posts: none (``storage.period_posts`` reads them from the labels)
DELEGATED: tuple[str, ...] = ()
# Storing the 2,500-post corpus on PostgreSQL takes a minute and each read
# test 20 s there; tests/reports/test_report_window_postgresql.py compares the
# same reads (rollups and posts) across the backends on 900 posts, and the
# time-zone test below runs on both.
BUILT_SQLITE_ONLY = pytest.mark.sqlite_only(
    "2,500 posts: test_report_window_postgresql.py compares these reads on both backends, "
    "and tests/storage/test_rollup_trends.py the page's counts from the rollups")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """2,500 posts on SQLite (the tests that take it are ``BUILT_SQLITE_ONLY``)."""
    with Store.open(Path(tmp_path_factory.mktemp("rollups")) / "built.db") as store:
        corpus(store)
        assert store.rollups.queued() > 0  # some posts are read from their rows
        yield store


def _both(store: Store, compute: object, caplog: pytest.LogCaptureFixture) -> tuple[
        object, object]:
    """(from the rollups, from the posts), checking the first read no post
    beyond the examples and the reads the rollups do not hold (DELEGATED)."""
    caplog.clear()
    with caplog.at_level(logging.DEBUG, logger="storage"):
        rolled = compute()  # type: ignore[operator]
    messages = [r.getMessage() for r in caplog.records]
    assert any("from the rollups" in m for m in messages), messages
    assert not any(m.startswith("report window from the posts") for m in messages), messages
    fallbacks = [m for m in messages if m.startswith("report window: ")
                 and not any(f"report window: {d} read" in m for d in DELEGATED)]
    assert not fallbacks, fallbacks
    store.read_rollups = False
    try:
        raw = compute()  # type: ignore[operator]
    finally:
        store.read_rollups = True
    return rolled, raw


@BUILT_SQLITE_ONLY
@pytest.mark.parametrize("week", ["2026-W48", "2026-W47", "2026-W45", "2026-W36"])
def test_the_report_reads_the_same_figures_from_rollups_as_from_the_posts(
        built: Store, week: str, caplog: pytest.LogCaptureFixture) -> None:
    def figures() -> Figures:
        return compute_figures(built, week, settings=ReportSettings(), topic_labels=LABELS,
                               context=CONTEXT, now=NOW)

    rolled, raw = _both(built, figures, caplog)
    assert isinstance(rolled, Figures) and rolled.this.posts > 0
    assert rolled == raw
    assert rolled.representative and all(posts for _, _, posts in rolled.representative)
    # report-ux's figures are among those compared, and not empty
    assert (rolled.places, rolled.stories, rolled.sentiment_weeks, rolled.narrative) == (
        raw.places, raw.stories, raw.sentiment_weeks, raw.narrative)
    assert rolled.places and rolled.sentiment_weeks and rolled.narrative
    if week in ("2026-W48", "2026-W47"):
        assert rolled.stories, week


def test_a_week_in_another_time_zone_reads_the_same(
        any_store: Store, caplog: pytest.LogCaptureFixture) -> None:
    store = any_store
    corpus(store, n=900, seed=7)
    store.rollups.use_zone("America/New_York")

    def figures() -> Figures:
        return compute_figures(store, "2026-W47",
                               settings=ReportSettings(timezone="America/New_York"),
                               topic_labels=LABELS, context=CONTEXT, now=NOW)

    rolled, raw = _both(store, figures, caplog)
    assert rolled == raw


@BUILT_SQLITE_ONLY
def test_the_daily_alerts_read_the_same_from_rollups(
        built: Store, caplog: pytest.LogCaptureFixture) -> None:
    settings = ReportSettings()

    def alerts() -> object:
        return [find_alerts(built, day, settings=settings, topic_labels=LABELS)
                for day in (date(2026, 11, 23), date(2026, 11, 25), date(2026, 11, 28))]

    rolled, raw = _both(built, alerts, caplog)
    assert rolled == raw and any(rolled)  # type: ignore[arg-type]


@BUILT_SQLITE_ONLY
@pytest.mark.parametrize("f", [
    PostFilter(topics=("parks",)), PostFilter(platforms=("mastodon",)),
    PostFilter(topics=("waste_recycling",), sentiments=("negative",), platforms=("x", "rss")),
])
def test_a_week_filter_counts_the_same_from_rollups(built: Store, f: PostFilter) -> None:
    start, end = week_bounds(2026, 48, "Europe/London")
    week = PostFilter(f.topics, f.sentiments, f.platforms, since=iso(start), until=iso(end))
    assert count_from_rollups(built.sql, week) is not None
    rolled = built.queries.count_posts(week)
    built.queries.read_rollups = False
    try:
        assert built.queries.count_posts(week) == rolled > 0
    finally:
        built.queries.read_rollups = True


@BUILT_SQLITE_ONLY
def test_what_the_rollups_cannot_answer_is_counted_from_the_posts(built: Store) -> None:
    start, end = week_bounds(2026, 47, "Europe/London")
    week = [("2026-W47", iso(start), iso(end))]
    everything = built.queries.weekly_counts(PostFilter(), week)[0].total
    for f in (PostFilter(topics=("parks", "waste_recycling")), PostFilter(sources=("rss-news",)),
              PostFilter(match="park"), PostFilter(topics=("parks",), places=("riverside",))):
        assert weekly_from_rollups(built.sql, f, week) is None
        assert 0 < built.queries.weekly_counts(f, week)[0].total < everything
    shifted = [("2026-W47", iso(start.replace(hour=1)), iso(end))]
    assert weekly_from_rollups(built.sql, PostFilter(), shifted) is None


@BUILT_SQLITE_ONLY
@pytest.mark.parametrize("f", [
    PostFilter(), PostFilter(topics=("parks",)),
    PostFilter(topics=("waste_recycling",), sentiments=("negative", "positive")),
    PostFilter(platforms=("x", "rss")),
    PostFilter(topics=("roads_potholes",), platforms=("reddit",), sentiments=("neutral",)),
])
def test_trend_counts_are_the_same_from_rollups(built: Store, f: PostFilter) -> None:
    weeks = []
    for number in range(37, 50):
        start, end = week_bounds(2026, number, "Europe/London")
        weeks.append((f"2026-W{number}", iso(start), iso(end)))
    assert weekly_from_rollups(built.sql, f, weeks) is not None  # the rollups answer it
    rolled = built.queries.weekly_counts(f, weeks)
    built.queries.read_rollups = False
    try:
        raw = built.queries.weekly_counts(f, weeks)
    finally:
        built.queries.read_rollups = True
    assert rolled == raw and sum(w.total for w in rolled) > 0


@BUILT_SQLITE_ONLY
@pytest.mark.parametrize("path", ["outsiders listed", "each post looked up"])
def test_reads_the_rollups_do_not_hold_answer_as_the_posts_do_for_every_period(
        built: Store, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch,
        path: str) -> None:
    """The places table and its author checks, a flag's posts (with or
    without a matched term, in any case), its overlap with other topics and
    examples that carry a second topic are read from the labels, for each
    period asked about, without a window over the posts, and answer as a
    window over the posts of all the periods does: on the labels index with
    the ids in the period's range that are not its residents' posts listed,
    or with each label's post looked up (a range too sparse, or too many
    such ids)."""
    if path == "outsiders listed":  # the corpus's ids are not in time order: any range
        monkeypatch.setattr(period_posts, "DENSE", 10**9)
    else:
        monkeypatch.setattr(period_posts, "OUTSIDE_MAX", -1)
    tz = ZoneInfo(ReportSettings().timezone)
    week = "2026-W47"
    spans = [*previous_weeks(week, 3, tz), week_span(week, tz)]
    bounds, days = [s.utc for s in spans], [d.utc for d in day_spans(week, tz)]

    def reads(win: Window, w: int) -> tuple[Any, ...]:
        flags = [(topic, term) for topic in ("waste_recycling", "parks")
                 for term in (None, "recycling", "BIN", "trees", "absent")]
        return (win.places(w), win.place_topics(w),
                [win.topic_ids(w, t, term) for t, term in flags],
                [win.topic_overlap(w, t, term) for t, term in flags],
                [win.has_authors(w, n, place=place, topic=topic, sentiment=sentiment)
                 for n in (1, 3, 10, 40) for place in ("riverside", "lowfield", "nowhere")
                 for topic in (None, "parks") for sentiment in (None, 0, 2)],
                [[r.id for r in win.sample_posts(w, topic=t, term=term, also=also,
                                                  limit=limit, exclude=exclude)]
                 for t, term, also in (("parks", None, "waste_recycling"),
                                       ("waste_recycling", "bin", "roads_potholes"),
                                       ("parks", "absent", "roads_potholes"))
                 for limit in (1, 3, 250) for exclude in ((), range(0, 5000, 3))])

    order = [3, 1, 2, 0]  # the report's own week first, as the report asks
    with caplog.at_level(logging.DEBUG, logger="storage"), built.report_window(
            bounds, days, ReportSettings().timezone) as rolled:
        assert isinstance(rolled, RollupWindow)
        got = {w: reads(rolled, w) for w in order}
        assert rolled.fallbacks == 0
        listed = [rolled.posts(w).outside() for w in order]
        assert all(x is not None and len(json.loads(x)) > 0 for x in listed) \
            if path == "outsiders listed" else listed == [None] * len(order)
    assert not any("read from the posts" in r.getMessage() for r in caplog.records)
    built.read_rollups = False
    try:
        with built.report_window(bounds, days, ReportSettings().timezone) as raw:
            assert not isinstance(raw, RollupWindow)
            want = {w: reads(raw, w) for w in order}
    finally:
        built.read_rollups = True
    for w in order:
        for k, (a, b) in enumerate(zip(got[w], want[w], strict=True)):
            assert a == b, (w, k)
    assert all(got[w][0] and got[w][1] for w in order)
    assert all(any(got[w][2]) and any(got[w][3]) for w in order)
    assert any(True in got[w][4] for w in order) and any(False in got[w][4] for w in order)
    assert all(any(got[w][5]) for w in order)

"""The report's sections after the headline and topics: volume, trends,
emerging issues, engagement, posts, what changed, coverage, classifiers."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from zoneinfo import ZoneInfo

from reports.changes import changes_in, weeks_with_changes
from reports.config import ReportSettings
from reports.context import ReportContext
from reports.coverage import coverage
from reports.emerging import emerging_flags
from reports.figures import (
    ClassifierUse,
    Emerging,
    EngagementRow,
    Figures,
    Trend,
)
from reports.posts import local_time, post_view
from reports.stats import MIN_COUNT, describe_test
from reports.weeks import Span
from storage.report_queries import ReportReader
from storage.windows import Window

MOST_ENGAGED = 5


def shown_check(win: Window, last: int) -> Callable[..., bool]:
    """``ok(n, w=last, **cell)``: whether a count of ``n`` posts in period
    ``w`` may be shown. Under MIN_COUNT it is written "fewer than" anyway;
    from MIN_COUNT up, the cell's posts must come from enough authors."""
    def ok(n: int, w: int = last, **cell: object) -> bool:
        return n < MIN_COUNT or win.has_authors(w, **cell)  # type: ignore[arg-type]

    return ok


@dataclass(frozen=True)
class Series:
    """Weekly series the core figures computed and the sections reuse."""

    topics: dict[str, list[int]]  # slug -> posts per week
    totals: list[int]  # all posts per week
    terms: dict[tuple[str, str], list[int]]  # (slug, term) -> posts per week, last weeks
    labels: dict[str, str]  # slug -> display name


def fill_sections(fig: Figures, series: Series, win: Window, reader: ReportReader,
                  versions: Sequence[tuple[str, str, str]], spans: list[Span],
                  days: list[Span], settings: ReportSettings, context: ReportContext,
                  now: datetime, tz: ZoneInfo) -> None:
    last = len(spans) - 1
    local = partial(local_time, tz=tz)
    official = context.official_handles

    ok = shown_check(win, last)
    summary = win.summary(last, platforms=True)
    fig.days = [(d.label, summary.days.get(k, 0), ok(summary.days.get(k, 0), day=k))
                for k, d in enumerate(days)]
    fig.platforms = [(name, acc[0], ok(acc[0], platform=name))
                     for name, acc in sorted(summary.platforms.items())]
    fig.engagement = [
        EngagementRow(name, acc[0], ok(acc[0], platform=name), (acc[1], acc[2]),
                      (acc[3], acc[4]), (acc[5], acc[6]), (acc[7], acc[8]))
        for name, acc in sorted(summary.platforms.items())
    ]

    top = [r for r in fig.topics if r.posts > 0][: settings.top_topics]
    n = settings.trend_weeks
    trend_spans = spans[-n:]
    fig.trend_weeks = [s.label for s in trend_spans]
    for row in top:
        counts = series.topics.get(row.slug, [0] * len(spans))[-n:]
        fig.trends.append(Trend(row.slug, row.label, tuple(counts), tuple(
            ok(c, len(spans) - n + k, topic=row.slug) for k, c in enumerate(counts))))
    fig.change_weeks = weeks_with_changes(versions, trend_spans)
    fig.changes = changes_in(versions, spans[-1], local)

    fig.emerging_test = describe_test(settings.baseline_weeks, "weeks")
    n_terms = len(next(iter(series.terms.values()), [0] * (settings.baseline_weeks + 1)))
    for flag in emerging_flags(series.topics, series.totals, series.terms,
                               series.totals[-n_terms:], settings.baseline_weeks,
                               settings.emerging_max, known=lambda s: s in series.labels):
        if not ok(flag.test.current, topic=flag.slug, term=flag.term):
            continue  # an issue carried by fewer than 10 authors is not reported
        sample = win.sample_posts(last, topic=flag.slug, term=flag.term,
                                  limit=settings.posts_per_topic)
        fig.emerging.append(Emerging(
            kind="term" if flag.term else "topic", slug=flag.slug,
            label=series.labels[flag.slug], term=flag.term, current=flag.test.current,
            baseline_mean=flag.test.baseline_mean, baseline_sd=flag.test.baseline_sd,
            threshold=flag.test.threshold,
            posts=tuple(post_view(p, tz, official) for p in sample), terms=flag.terms,
        ))

    fig.most_engaged = [post_view(p, tz, official) for p in win.sample_posts(
        last, order="engagement", limit=MOST_ENGAGED)]
    fig.representative = [
        (r.slug, r.label, [post_view(p, tz, official) for p in win.sample_posts(
            last, topic=r.slug, limit=settings.posts_per_topic)])
        for r in top
    ]
    fig.sources, fig.problems = coverage(reader, dict(win.source_posts(last)), spans[-1], now,
                                         settings.stale_after_hours, local)
    notes = {(c.name, c.version): c for c in context.classifiers}
    by_name = {c.name: c for c in context.classifiers}
    for task, name, version, posts in win.classifiers_used(last):
        note = notes.get((name, version)) or by_name.get(name)
        fig.classifiers.append(ClassifierUse(
            task, name, version, posts, note.accuracy if note else None,
            note.evaluation if note else ""))

"""The report's sections after the headline and topics: volume, trends,
sentiment over time, stories, places, engagement, posts, what changed,
coverage, classifiers."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from zoneinfo import ZoneInfo

from reports.changes import changes_in, relabel_words, weeks_with_changes
from reports.config import ReportSettings
from reports.context import ReportContext
from reports.coverage import coverage
from reports.figures import ClassifierUse, EngagementRow, Figures, PostView, Trend
from reports.over_time import first_live, sentiment_weeks
from reports.places import place_rows
from reports.posts import local_time, post_view
from reports.stats import MIN_COUNT
from reports.story_section import emerging_stories
from reports.weeks import Span
from storage.relabels import Relabel
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


class Quoter:
    """Posts quoted in the report, each at most once across its sections."""

    def __init__(self, win: Window, w: int, tz: ZoneInfo,
                 context: ReportContext) -> None:
        self.win, self.w, self.tz, self.context = win, w, tz, context
        self.seen: set[int] = set()
        self.shown: list[PostView] = []

    def __call__(self, *, topic: str | None = None, term: str | None = None,
                 also: str | None = None, order: str = "evidence",
                 limit: int = 3) -> list[PostView]:
        rows = self.win.sample_posts(self.w, topic=topic, term=term, also=also, order=order,
                                     limit=limit, exclude=frozenset(self.seen))
        posts = [post_view(r, self.tz, self.context.official_handles, self.context.link)
                 for r in rows]
        self.seen.update(p.id for p in posts)
        self.shown += posts
        return posts


def fill_sections(fig: Figures, series: Series, win: Window, reader: ReportReader,
                  versions: Sequence[tuple[str, str, str]], relabels: Sequence[Relabel],
                  spans: list[Span], days: list[Span], settings: ReportSettings,
                  context: ReportContext, now: datetime, tz: ZoneInfo) -> None:
    last = len(spans) - 1
    local = partial(local_time, tz=tz)
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
    first = first_live(series.totals, settings.trend_weeks)  # not drawn before collection began
    fig.trend_weeks = [s.label for s in spans[first:]]
    for row in top:
        counts = series.topics.get(row.slug, [0] * len(spans))[first:]
        fig.trends.append(Trend(row.slug, row.label, tuple(counts), tuple(
            ok(c, first + k, topic=row.slug) for k, c in enumerate(counts))))
    fig.sentiment_weeks = sentiment_weeks(win, spans, first, ok)
    fig.change_weeks = weeks_with_changes(versions, spans[first:])
    fig.changes = changes_in(versions, spans[-1], local, relabels)
    fig.relabels = relabel_words(relabels, spans[-1], local)

    quote = Quoter(win, last, tz, context)
    fig.emerging_test, fig.emerging, fig.stories = emerging_stories(
        series, win, settings, ok, fig.changes, quote)
    fig.places, fig.places_small = place_rows(win, last, ok, context.place_labels,
                                              series.labels)
    fig.representative = [(r.slug, r.label, quote(topic=r.slug, limit=settings.posts_per_topic))
                          for r in top]
    fig.most_engaged = quote(order="engagement", limit=MOST_ENGAGED)
    names = context.platform_names
    fig.unlinked_platforms = sorted({names.get(p.platform, p.platform) for p in quote.shown
                                     if p.url is None})
    fig.sources, fig.problems = coverage(reader, dict(win.source_posts(last)), spans[-1], now,
                                         settings.stale_after_hours, local)
    notes = {(c.name, c.version): c for c in context.classifiers}
    by_name = {c.name: c for c in context.classifiers}
    for task, name, version, posts in win.classifiers_used(last):
        note = notes.get((name, version)) or by_name.get(name)
        fig.classifiers.append(ClassifierUse(
            task, name, version, posts, note.accuracy if note else None,
            note.evaluation if note else "", note.measure if note else "accuracy"))

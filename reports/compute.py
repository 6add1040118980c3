"""One week's figures from storage: pure computation over aggregate reads."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from statistics import fmean
from zoneinfo import ZoneInfo

from reports.accuracy import in_use
from reports.accuracy_section import accuracy_section
from reports.accuracy_tables import headline_lines
from reports.actions_section import actions_section
from reports.config import ReportSettings
from reports.context import ReportContext
from reports.discovery import discovery_figures
from reports.engaged import engaged_figures
from reports.figures import Figures, Period, SentimentSplit, TopicRow
from reports.narrative import narrative
from reports.sections import Series, fill_sections, shown_check
from reports.stats import wilson
from reports.weeks import Span, day_spans, previous_weeks, week_span
from storage import SENTIMENTS, Store
from storage.discovery_records import WEEK
from storage.report_window import PENDING, UNCLASSIFIED
from storage.windows import Window

TOP_TERMS = 5


def split_of(codes: Mapping[int, int]) -> SentimentSplit:
    """Sentiment codes (each label's place in SENTIMENTS, then unclassified
    and pending) to a split."""
    return SentimentSplit(**{name: codes.get(code, 0) for code, name in enumerate(SENTIMENTS)},
                          unclassified=codes.get(UNCLASSIFIED, 0),
                          pending=codes.get(PENDING, 0))


def _sum_splits(splits: list[SentimentSplit]) -> SentimentSplit:
    return SentimentSplit(*(sum(s.get(f) for s in splits) for f in (
        *SENTIMENTS, "unclassified", "pending")))


def compute_figures(store: Store, week: str, *, settings: ReportSettings,
                    topic_labels: Mapping[str, str], context: ReportContext,
                    now: datetime | None = None) -> Figures:
    tz = ZoneInfo(settings.timezone)
    now = now or datetime.now(UTC)
    history = max(settings.trend_weeks, settings.baseline_weeks + 1, 5)
    spans = [*previous_weeks(week, history - 1, tz), week_span(week, tz)]
    days = day_spans(week, tz)
    with store.report_window([s.utc for s in spans], [d.utc for d in days],
                             settings.timezone) as win:
        fig, series = _core(win, week, spans, settings, topic_labels, context, now, tz)
        fill_sections(fig, series, win, store.reports, store.config_versions.history(),
                      store.relabels.history(), spans, days, settings, context, now, tz)
    if context.working_hours is not None:
        fig.engaged = engaged_figures(
            store.engagement, spans, hours=context.working_hours,
            waiting_after=context.waiting_after_hours, waiting_days=context.waiting_days,
            topic_labels=dict(topic_labels), official=context.official_handles,
            link=context.link, now=now, tz=tz)
    fig.narrative = narrative(fig)
    fig.headline = [s.text for s in fig.narrative]
    used = [(c.task, c.name, c.version, c.posts) for c in fig.classifiers]
    fig.accuracy = accuracy_section(fig, used, {v: store.audits.judging(v) for v in in_use(used)},
                                    spans[-1].utc, topic_labels, tz)
    fig.accuracy.headline = headline_lines(fig)
    fig.actions = actions_section(store, spans[-1], topic_labels, context.place_labels, tz)
    fig.discovery = discovery_figures(
        store, store.themes.run(WEEK, week), period=week, tz=tz,
        official=context.official_handles, topic_labels=topic_labels,
        themes_shown=settings.themes_shown, terms_shown=settings.terms_shown,
        baseline_weeks=context.discovery_baseline_weeks,
        min_unmatched=context.discovery_min_unmatched, link=context.link)
    return fig


def _core(win: Window, week: str, spans: list[Span], settings: ReportSettings,
          topic_labels: Mapping[str, str], context: ReportContext, now: datetime,
          tz: ZoneInfo) -> tuple[Figures, Series]:
    last = len(spans) - 1
    totals = win.totals()
    authors = win.authors(last - 5)
    win.summary(last, platforms=True)  # the one sorted pass over the week; reused below
    sentiments = [split_of(win.summary(w).sentiment) for w in range(last - 4, last + 1)]
    state = win.summary(last).topic_state
    weekly = win.topic_counts()
    now_split = {t: split_of(c) for t, c in win.topic_sentiment(last).items()}
    prev_split = {t: split_of(c) for t, c in win.topic_sentiment(last - 1).items()}
    n_terms = settings.baseline_weeks + 1
    terms = win.term_counts(len(spans) - n_terms)

    ok = shown_check(win, last)
    labels = dict(topic_labels)
    for slug in weekly:
        labels.setdefault(slug, f"{slug} (not in current config)")
    rows = []
    for slug, label in labels.items():
        counts = weekly.get(slug, [0] * len(spans))
        split = now_split.get(slug, SentimentSplit())
        top = sorted(((t, c[-1]) for (s, t), c in terms.items() if s == slug and c[-1] > 0),
                     key=lambda tc: (-tc[1], tc[0]))[:TOP_TERMS]
        rows.append(TopicRow(
            slug=slug, label=label, posts=counts[-1], authors_ok=ok(counts[-1], topic=slug),
            sentiment=split,
            sentiment_ok=tuple(ok(split.get(name), topic=slug, sentiment=code)
                               for code, name in enumerate(SENTIMENTS)
                               ),  # type: ignore[arg-type]
            previous=counts[-2], previous_ok=ok(counts[-2], last - 1, topic=slug),
            average4=fmean(counts[-5:-1]),
            negative_interval=wilson(split.negative, split.classified),
            top_terms=tuple((t, n, ok(n, topic=slug, term=t)) for t, n in top),
        ))
    rows.sort(key=lambda r: (-r.posts, r.label))
    return Figures(
        week=week, title=settings.title,
        organisation=context.organisation or settings.organisation,
        timezone=settings.timezone,
        window_start=spans[-1].start.isoformat(), window_end=spans[-1].end.isoformat(),
        generated_at=now.astimezone(tz).strftime("%d %b %Y %H:%M %Z"),
        config_hash=context.config_hash, pipeline_version=context.pipeline_version,
        this=Period(totals[last], authors[last]),
        previous=Period(totals[last - 1], authors[last - 1]),
        average4=(fmean(totals[last - 4:last]),
                  fmean(authors[w] for w in range(last - 4, last))),
        sentiment_ok=tuple(ok(sentiments[-1].get(name), sentiment=code)
                           for code, name in enumerate(SENTIMENTS)
                           ),  # type: ignore[arg-type]
        sentiment=sentiments[-1], sentiment_previous=sentiments[-2],
        sentiment_4wk=_sum_splits(sentiments[:4]),
        topics=rows, topic_unclassified=state.get(1, 0), topic_pending=state.get(0, 0),
        topic_previous_split=prev_split,
    ), Series(weekly, totals, terms, labels)

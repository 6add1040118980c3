"""One week's figures from storage: pure computation over aggregate reads."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from functools import partial
from statistics import fmean
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
    Period,
    SentimentSplit,
    TopicRow,
    Trend,
)
from reports.headline import headline
from reports.posts import local_time, post_view
from reports.stats import describe_test, wilson
from reports.weeks import day_spans, previous_weeks, week_span
from storage import Store
from storage.report_queries import ReportReader

MOST_ENGAGED = 5


def split_of(counts: Mapping[str, int]) -> SentimentSplit:
    return SentimentSplit(
        negative=counts.get("negative", 0), neutral=counts.get("neutral", 0),
        positive=counts.get("positive", 0), unclassified=counts.get("_unclassified", 0),
        pending=counts.get("_pending", 0),
    )


def _topic_splits(rows: list[tuple[str, str | None, bool, int]]) -> dict[str, SentimentSplit]:
    acc: dict[str, dict[str, int]] = {}
    for topic, label, pending, n in rows:
        key = label if label is not None else ("_pending" if pending else "_unclassified")
        acc.setdefault(topic, {})[key] = acc.get(topic, {}).get(key, 0) + n
    return {topic: split_of(counts) for topic, counts in acc.items()}


def _sum_splits(splits: list[SentimentSplit]) -> SentimentSplit:
    return SentimentSplit(*(sum(s.get(f) for s in splits) for f in (
        "negative", "neutral", "positive", "unclassified", "pending")))


def compute_figures(store: Store, week: str, *, settings: ReportSettings,
                    topic_labels: Mapping[str, str], context: ReportContext,
                    now: datetime | None = None) -> Figures:
    tz = ZoneInfo(settings.timezone)
    now = now or datetime.now(UTC)
    local = partial(local_time, tz=tz)
    official = context.official_handles
    reader = ReportReader(store.db)
    history = max(settings.trend_weeks, settings.baseline_weeks + 1, 5)
    span = week_span(week, tz)
    spans = [*previous_weeks(week, history - 1, tz), span]
    bounds = [s.utc for s in spans]
    totals = reader.totals(bounds)
    sentiments = [split_of(c) for c in reader.label_counts(bounds[-5:], "sentiment")]
    topic_state = reader.label_counts([span.utc], "topic")[0]
    splits = _topic_splits(reader.topic_sentiment(span.utc))
    prev_splits = _topic_splits(reader.topic_sentiment(bounds[-2]))
    authors = reader.topic_authors(span.utc)
    weekly = reader.topic_counts(bounds)
    term_spans = bounds[-(settings.baseline_weeks + 1):]
    terms = reader.term_counts(term_spans)

    labels = dict(topic_labels)
    for slug in weekly:
        labels.setdefault(slug, f"{slug} (not in current config)")
    rows = []
    for slug, label in labels.items():
        counts = weekly.get(slug, [0] * len(bounds))
        split = splits.get(slug, SentimentSplit())
        terms_top = sorted(((t, c[-1]) for (s, t), c in terms.items() if s == slug and c[-1] > 0),
                     key=lambda tc: (-tc[1], tc[0]))[:5]
        rows.append(TopicRow(
            slug=slug, label=label, posts=counts[-1], authors=authors.get(slug, 0),
            sentiment=split, previous=counts[-2], average4=fmean(counts[-5:-1]),
            negative_interval=wilson(split.negative, split.classified),
            top_terms=tuple(terms_top),
        ))
    rows.sort(key=lambda r: (-r.posts, r.label))

    fig = Figures(
        week=week, title=settings.title,
        organisation=context.organisation or settings.organisation,
        timezone=settings.timezone,
        window_start=span.start.isoformat(), window_end=span.end.isoformat(),
        generated_at=now.astimezone(tz).strftime("%d %b %Y %H:%M %Z"),
        config_hash=context.config_hash, pipeline_version=context.pipeline_version,
        this=Period(*totals[-1]), previous=Period(*totals[-2]),
        average4=(fmean(t[0] for t in totals[-5:-1]), fmean(t[1] for t in totals[-5:-1])),
        sentiment=sentiments[-1], sentiment_previous=sentiments[-2],
        sentiment_4wk=_sum_splits(sentiments[:4]),
        topics=rows, topic_unclassified=topic_state.get("_unclassified", 0),
        topic_pending=topic_state.get("_pending", 0), topic_previous_split=prev_splits,
    )
    fig.days = [(d.label, *t) for d, t in zip(
        day_spans(week, tz), reader.totals([d.utc for d in day_spans(week, tz)]), strict=True)]
    fig.platforms = reader.platform_counts(span.utc)

    top = [r for r in rows if r.posts > 0][: settings.top_topics]
    trend_spans = spans[-settings.trend_weeks:]
    fig.trend_weeks = [s.label for s in trend_spans]
    fig.trends = [Trend(r.slug, r.label, tuple(weekly.get(r.slug, [])[-settings.trend_weeks:]))
                  for r in top]
    versions = store.config_versions()
    fig.change_weeks = weeks_with_changes(versions, trend_spans)
    fig.changes = changes_in(versions, span, local)

    fig.emerging_test = describe_test(settings.baseline_weeks, "weeks")
    for flag in emerging_flags(
        weekly, [t[0] for t in totals], terms, [t[0] for t in totals[-len(term_spans):]],
        settings.baseline_weeks, settings.emerging_max, known=lambda s: s in labels,
    ):
        sample = reader.sample_posts(span.utc, topic=flag.slug, term=flag.term,
                                     limit=settings.posts_per_topic)
        fig.emerging.append(Emerging(
            kind="term" if flag.term else "topic", slug=flag.slug, label=labels[flag.slug],
            term=flag.term, current=flag.test.current, baseline_mean=flag.test.baseline_mean,
            baseline_sd=flag.test.baseline_sd, threshold=flag.test.threshold,
            posts=tuple(post_view(p, tz, official) for p in sample), terms=flag.terms,
        ))

    fig.engagement = [
        EngagementRow(r[0], int(r[1]), int(r[2]), (int(r[3]), int(r[4] or 0)),
                      (int(r[5]), int(r[6] or 0)), (int(r[7]), int(r[8] or 0)),
                      (int(r[9]), int(r[10] or 0)))
        for r in reader.engagement(span.utc)
    ]
    fig.most_engaged = [post_view(p, tz, official) for p in reader.sample_posts(
        span.utc, order="engagement", limit=MOST_ENGAGED)]
    fig.representative = [
        (r.slug, r.label, [post_view(p, tz, official) for p in reader.sample_posts(
            span.utc, topic=r.slug, limit=settings.posts_per_topic)])
        for r in top
    ]
    fig.sources, fig.problems = coverage(reader, span, now, settings.stale_after_hours, local)
    notes = {(n.name, n.version): n for n in context.classifiers}
    notes_by_name = {n.name: n for n in context.classifiers}
    for task, name, version, n in reader.classifiers_used(span.utc):
        note = notes.get((name, version)) or notes_by_name.get(name)
        fig.classifiers.append(ClassifierUse(
            task, name, version, n, note.accuracy if note else None,
            note.evaluation if note else ""))
    fig.headline = headline(fig)
    return fig

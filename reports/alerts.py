"""The daily emerging-issue check: a topic whose posts yesterday (local
day) were unusual against its own trailing days. Sending them (at most once
per topic, day and channel, retried until sent) is ``listener.deliveries``."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from reports.config import ReportSettings
from reports.emerging import flags
from reports.stats import describe_test
from reports.weeks import day_span
from storage import Store

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Alert:
    topic: str
    label: str
    day: str  # local ISO date
    posts: int
    baseline_mean: float
    threshold: float
    text: str


def find_alerts(store: Store, day: date, *, settings: ReportSettings,
                topic_labels: Mapping[str, str]) -> list[Alert]:
    """Topics unusual on ``day`` against the ``alerts.baseline_days`` before it."""
    tz = ZoneInfo(settings.timezone)
    n = settings.alerts.baseline_days
    spans = [day_span(day - timedelta(days=k), tz) for k in range(n, -1, -1)]
    with store.report_window([s.utc for s in spans], zone=settings.timezone) as win:
        totals = win.totals()
        counts = win.topic_counts()
        flagged = [(slug, result) for slug, result in flags(counts, totals, n)
                   if win.has_authors(n, topic=slug)]  # never alert on fewer than 10 authors
    test = describe_test(n, "days")
    out = []
    for slug, result in flagged:
        label = topic_labels.get(slug, slug)
        text = (f"Emerging issue: {label}: {result.current:,} posts on {day:%a %d %b %Y} against "
                f"a baseline mean of {result.baseline_mean:.1f} a day over the previous "
                f"{result.weeks} days (threshold {result.threshold:.1f}). {test}")
        out.append(Alert(slug, label, day.isoformat(), result.current, result.baseline_mean,
                         result.threshold, text))
    return out

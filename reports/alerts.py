"""The daily emerging-issue check: a topic whose posts yesterday (local
day) were unusual against its own trailing days, alerted at most once per
topic per day by e-mail and/or a Teams or Slack webhook."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from reports.config import ReportSettings
from reports.deliver import DeliveryError, build_message, post_webhook, send_email
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
    channels: tuple[str, ...] = ()  # where it was delivered
    already_sent: bool = False


def find_alerts(store: Store, day: date, *, settings: ReportSettings,
                topic_labels: Mapping[str, str]) -> list[Alert]:
    """Topics unusual on ``day`` against the ``alerts.baseline_days`` before it."""
    tz = ZoneInfo(settings.timezone)
    n = settings.alerts.baseline_days
    spans = [day_span(day - timedelta(days=k), tz) for k in range(n, -1, -1)]
    with store.report_window([s.utc for s in spans]) as win:
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


def check_and_send(store: Store, *, settings: ReportSettings, topic_labels: Mapping[str, str],
                   now: datetime | None = None,
                   env: Mapping[str, str] | None = None,
                   send_mail: Callable[..., None] = send_email,
                   extra: Sequence[Alert] = ()) -> list[Alert]:
    """Run the check for the last complete local day and deliver each new
    alert (and the ``extra`` alerts: discovery's new themes and bursting
    terms, made by the listener) on the configured channels. An alert is claimed before sending and
    released if no channel delivered it, so it goes out at most once per
    topic per day and a failed delivery is retried by the next check."""
    tz = ZoneInfo(settings.timezone)
    now = now or datetime.now(UTC)
    day = now.astimezone(tz).date() - timedelta(days=1)
    sent_log = store.alerts
    cfg = settings.alerts
    results = []
    found = find_alerts(store, day, settings=settings, topic_labels=topic_labels)
    for alert in [*found, *extra]:
        if not (cfg.email or cfg.webhook_url_env):
            results.append(alert)  # no channel configured: report only
            continue
        if not sent_log.claim(alert.topic, alert.day, alert.posts):
            results.append(replace(alert, already_sent=True))
            continue
        channels = []
        if cfg.email:
            try:
                send_mail(settings.email, build_message(
                    settings.email, f"Emerging issue: {alert.label}", alert.text), env)
                channels.append("email")
            except DeliveryError as exc:
                log.warning("alert e-mail for %s not sent: %s", alert.topic, exc)
        if cfg.webhook_url_env:
            try:
                post_webhook(cfg.webhook_url_env, alert.text, env)
                channels.append("webhook")
            except DeliveryError as exc:
                log.warning("alert webhook for %s not sent: %s", alert.topic, exc)
        if channels:
            sent_log.confirm(alert.topic, alert.day, channels)
        else:
            sent_log.release(alert.topic, alert.day)
        results.append(replace(alert, channels=tuple(channels)))
    return results

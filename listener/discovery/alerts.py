"""The daily alert check's discovery part: over the seven days to
yesterday, a theme not seen before (in the weeks or days before) and a
bursting term, each above its configured size. They are sent like the
emerging-issue alerts (``listener.deliveries``: recorded, retried until sent), keyed
``theme:<identity>`` and ``term:<term>``, so each goes out at most once a
day; a theme keeps its identity from one day's run to the next."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from listener.config import Settings
from listener.discovery.periods import day_period
from listener.discovery.run import ensure
from nlp.bursts import describe
from reports.alerts import Alert
from storage import Store


def discovery_alerts(settings: Settings, store: Store, day: date,
                     now: datetime) -> list[Alert]:
    """The alerts of the seven days to ``day``; none unless
    ``reports.alerts.theme_posts`` or ``term_posts`` is set."""
    cfg = settings.reports.alerts
    if not settings.discovery.enabled or (cfg.theme_posts is None and cfg.term_posts is None):
        return []
    disc = settings.discovery
    period = day_period(day, ZoneInfo(settings.reports.timezone), disc.baseline_weeks, now)
    run = ensure(settings, store, period)
    when = f"the 7 days to {day:%a %d %b %Y}"
    out = []
    if cfg.theme_posts is not None:
        for t in run.themes:
            if t.first_period != run.info.period or t.size < cfg.theme_posts:
                continue  # seen before (this continues it), or too small to alert on
            near = ""
            if t.nearest_topic and t.topic_similarity is not None:
                label = settings.topics[t.nearest_topic].label \
                    if t.nearest_topic in settings.topics else t.nearest_topic
                near = f" Nearest topic: {label} (similarity {t.topic_similarity:.2f})."
            text = (f"New theme not in your topic lists: {t.label}: {t.size:,} posts from "
                    f"{t.authors:,} people in {when}, not seen in the "
                    f"{disc.lookback_weeks} weeks before.{near} Suggestion: "
                    f"{t.suggestion['text']}.")
            out.append(Alert(f"theme:{t.identity}", f"New theme: {t.label}", day.isoformat(),
                             t.size, 0.0, float(cfg.theme_posts), text))
    if cfg.term_posts is not None:
        for b in run.bursts:
            if b.posts < cfg.term_posts:
                continue
            text = (f'Bursting term "{b.term}": {b.posts:,} posts in {when} against a '
                    f"baseline mean of {b.baseline_mean:.1f} a week over {b.baseline_periods} "
                    f"weeks (threshold {b.threshold:.1f}). Suggestion: "
                    f"{b.suggestion['text']}. {describe(disc.baseline_weeks)}")
            out.append(Alert(f"term:{b.term}", f'Bursting term "{b.term}"', day.isoformat(),
                             b.posts, b.baseline_mean, b.threshold, text))
    return out

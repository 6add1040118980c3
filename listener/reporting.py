"""Joining the report to what only the listener knows: topic names, the
classifiers in use and their evaluated accuracy, official handles."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import nlp
from listener import __version__, deliveries
from listener.config import Settings
from listener.discovery import discovery_alerts, ensure_week
from listener.platforms.registry import platforms, post_link
from nlp.cards import load_card
from reports import latest_complete_week, write_report
from reports.alerts import Alert, find_alerts
from reports.context import ClassifierNote, ReportContext
from reports.weeks import normal_week
from storage import Store
from storage.deliveries import SENT


def classifier_notes(settings: Settings) -> tuple[ClassifierNote, ...]:
    """The configured classifiers with their evaluated accuracy from their
    model cards, where known; nothing is built or loaded."""
    notes = []
    for name, version, task in nlp.describe_configured(settings.nlp, settings.data_dir):
        card: dict[str, Any] = load_card(settings.data_dir, name, version) or {}
        metrics = card.get("metrics", {})
        measure = "macro-F1" if "macro_f1" in metrics else "accuracy"
        score = metrics.get("macro_f1", metrics.get("accuracy"))
        evaluation = str(card.get("evaluation", card.get("data", ""))) if card else ""
        notes.append(ClassifierNote(name, version, task,
                                    float(score) if score is not None else None, evaluation,
                                    measure))
    return tuple(notes)


def report_context(settings: Settings) -> ReportContext:
    official = frozenset(handle for _, handle in settings.privacy.official_set())
    engagement = settings.engagement
    return ReportContext(
        config_hash=settings.config_hash,
        pipeline_version=f"civic-listener {__version__}",
        classifiers=classifier_notes(settings),
        official_handles=official,
        organisation=settings.reports.organisation,
        link=post_link,
        place_labels={slug: spec.label for slug, spec in settings.nlp.places.items()},
        platform_names={p.id: p.name for p in platforms()},
        working_hours=engagement.working_hours,
        waiting_after_hours=engagement.unanswered_after_hours,
        waiting_days=engagement.unanswered_days,
        discovery_baseline_weeks=settings.discovery.baseline_weeks,
        discovery_min_unmatched=settings.discovery.min_unmatched,
    )


def write_weekly_report(settings: Settings, store: Store, week: str | None, *,
                        formats: Sequence[str] | None = None, out_dir: Path | None = None,
                        now: datetime | None = None) -> list[Path]:
    """Write the week's report (default: the latest complete week), running
    discovery for it first unless its stored run is still true."""
    store.rollups.use_zone(settings.reports.timezone)  # days counted in the report's zone
    if settings.discovery.enabled:
        chosen = week or latest_complete_week(store, settings.reports.timezone, now)
        if chosen is not None:
            ensure_week(settings, store, normal_week(chosen), now=now)
    return write_report(
        store, week, settings=settings.reports,
        topic_labels={slug: t.label for slug, t in settings.topics.items()},
        formats=list(formats or settings.reports.formats),
        out_dir=out_dir or settings.resolve(settings.reports.out_dir),
        context=report_context(settings), now=now,
    )


@dataclass(frozen=True)
class AlertResult:
    alert: Alert
    states: dict[str, str]  # channel -> "sent", "already sent", "failed (retried): ..."


def check_alerts(settings: Settings, store: Store, now: datetime | None = None, *,
                 env: Mapping[str, str] | None = None) -> list[AlertResult]:
    """The emerging-issue check for the last complete local day: each alert
    recorded once per configured channel, then everything due sent. With
    ``reports.alerts.theme_posts`` or ``term_posts`` set, also new themes and
    bursting terms of the seven days to yesterday (``listener.discovery``)."""
    zone = ZoneInfo(settings.reports.timezone)
    day = (now or datetime.now(UTC)).astimezone(zone).date() - timedelta(days=1)
    labels = {slug: t.label for slug, t in settings.topics.items()}
    store.rollups.use_zone(settings.reports.timezone)
    alerts = [*find_alerts(store, day, settings=settings.reports, topic_labels=labels),
              *discovery_alerts(settings, store, day, now or datetime.now(UTC))]
    before = {(a.topic, d.channel): d.state
              for a in alerts for d in deliveries.request_alert(store, settings, a)}
    deliveries.deliver_due(settings, store, kinds=[deliveries.ALERT], env=env, now=now)
    results = []
    for alert in alerts:
        states = {}
        for channel in deliveries.alert_channels(settings):
            found = store.deliveries.get(deliveries.ALERT, f"{alert.topic}:{alert.day}", channel)
            if before.get((alert.topic, channel)) == SENT:
                states[channel] = "already sent"
            elif found is not None and found.state == SENT:
                states[channel] = "sent"
            else:
                states[channel] = "failed (retried later): " + str(
                    found.last_error if found else "not recorded")
        results.append(AlertResult(alert, states))
    return results

"""Joining the report to what only the listener knows: topic names, the
classifiers in use and their evaluated accuracy, official handles."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import nlp
from listener import __version__
from listener.config import Settings
from listener.discovery import discovery_alerts, ensure_week
from listener.platforms.registry import platforms, post_link
from nlp.cards import load_card
from reports import latest_complete_week, write_report
from reports.alerts import Alert, check_and_send
from reports.context import ClassifierNote, ReportContext
from reports.deliver import build_message, send_email
from reports.email_body import email_html, email_text
from reports.weeks import normal_week
from storage import Store


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


MAILED_SUFFIXES = (".html", ".pdf", ".md")


def email_report(settings: Settings, paths: Sequence[Path]) -> int:
    """E-mail a written report to ``reports.email.to``: the Markdown report
    as a clean plain-text body with an HTML alternative (the Markdown
    rendered), the HTML, PDF and Markdown files attached. Returns the number
    of recipients; raises ``reports.deliver.DeliveryError`` when the relay
    refuses."""
    md = next((p for p in paths if p.suffix == ".md"), None)
    html = next((p for p in paths if p.suffix == ".html"), None)
    stem = (md or html or paths[0]).name.split(".")[0]
    subject = f"{settings.reports.title}: {stem.removeprefix('report-')}"
    markdown = md.read_text(encoding="utf-8") if md else None
    body = email_text(markdown) if markdown else (
        f"The {settings.reports.title.lower()} is attached.")
    msg = build_message(settings.reports.email, subject, body,
                        [p for p in paths if p.suffix in MAILED_SUFFIXES],
                        html=email_html(markdown, subject) if markdown else None)
    send_email(settings.reports.email, msg)
    return len(settings.reports.email.to)


def check_alerts(settings: Settings, store: Store, now: datetime | None = None) -> list[Alert]:
    """The daily emerging-issue check, delivered on the configured channels;
    with ``reports.alerts.theme_posts`` or ``term_posts`` set, also new
    themes and bursting terms of the seven days to yesterday."""
    now = now or datetime.now(UTC)
    day = now.astimezone(ZoneInfo(settings.reports.timezone)).date() - timedelta(days=1)
    labels = {slug: t.label for slug, t in settings.topics.items()}
    return check_and_send(store, settings=settings.reports, topic_labels=labels, now=now,
                          extra=discovery_alerts(settings, store, day, now))

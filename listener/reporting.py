"""Joining the report to what only the listener knows: topic names, the
classifiers in use and their evaluated accuracy, official handles."""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import nlp
from listener import __version__
from listener.config import Settings
from reports import write_report
from reports.context import ClassifierNote, ReportContext
from storage import Store


def _card(settings: Settings, name: str, version: str) -> dict[str, Any] | None:
    try:
        cards = importlib.import_module("nlp.cards")
    except ImportError:
        return None
    card: dict[str, Any] | None = cards.load_card(settings.data_dir, name, version)
    return card


def classifier_notes(settings: Settings) -> tuple[ClassifierNote, ...]:
    notes = []
    for clf in nlp.build_classifiers(settings.nlp, settings.topics, settings.data_dir):
        card = _card(settings, clf.name, clf.version) or {}
        metrics = card.get("metrics", {}) if isinstance(card, dict) else {}
        score = metrics.get("macro_f1", metrics.get("accuracy"))
        evaluation = str(card.get("evaluation", card.get("data", ""))) if card else ""
        notes.append(ClassifierNote(clf.name, clf.version, clf.task,
                                    float(score) if score is not None else None, evaluation))
    return tuple(notes)


def report_context(settings: Settings) -> ReportContext:
    official = frozenset(handle for _, handle in settings.privacy.official_set())
    return ReportContext(
        config_hash=settings.config_hash,
        pipeline_version=f"civic-listener {__version__}",
        classifiers=classifier_notes(settings),
        official_handles=official,
        organisation=settings.reports.organisation,
    )


def write_weekly_report(settings: Settings, store: Store, week: str | None, *,
                        formats: Sequence[str] | None = None, out_dir: Path | None = None,
                        now: datetime | None = None) -> list[Path]:
    return write_report(
        store, week, settings=settings.reports,
        topic_labels={slug: t.label for slug, t in settings.topics.items()},
        formats=list(formats or settings.reports.formats),
        out_dir=out_dir or settings.resolve(settings.reports.out_dir),
        context=report_context(settings), now=now,
    )

"""The "Accuracy of the labels" figures of one report week: measured
accuracy per classifier version in use (``reports.accuracy``) and the
corrected shares (``reports.corrected``), read through ``store.audits``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from nlp.estimate import NONE
from reports.accuracy import AccuracyFigures, LabelOf, accuracy_figures, in_use, statement
from reports.corrected import correction, mixed_versions, week_counts
from reports.figures import Figures
from storage.audit_records import Audit as StoredAudit
from storage.audit_records import ClassifierVersion

NO_TOPIC = "No topic matched"


def label_namer(topic_labels: Mapping[str, str]) -> LabelOf:
    """Class names as the report shows them."""

    def label_of(task: str, k: str) -> str:
        if task == "topic":
            return NO_TOPIC if k == NONE else topic_labels.get(k, k)
        return k.capitalize()
    return label_of


def accuracy_section(fig: Figures, used: Sequence[tuple[str, str, str, int]],
                     audits: Mapping[ClassifierVersion, Sequence[StoredAudit]],
                     bounds: tuple[str, str], topic_labels: Mapping[str, str],
                     tz: ZoneInfo) -> AccuracyFigures:
    """``used``: the week's (task, classifier, version, posts); ``audits``:
    the stored audits of each of those versions; ``bounds``: the week in UTC."""
    label_of = label_namer(topic_labels)

    def local_date(utc_iso: str) -> str:
        return datetime.fromisoformat(utc_iso).astimezone(tz).strftime("%d %b %Y")

    out = accuracy_figures(used, audits, bounds, label_of, local_date)
    by_task: dict[str, list[ClassifierVersion]] = {}
    for v in in_use(used):
        by_task.setdefault(v.task, []).append(v)
    for task, versions in by_task.items():
        if len(versions) > 1:
            out.corrections.append(mixed_versions(task, versions, week_counts(fig, task)[1]))
            continue
        found = correction(versions[0], audits.get(versions[0], ()), fig, bounds, label_of)
        if found is not None:
            out.corrections.append(found)
    out.statement = statement(out, fig.week)
    return out

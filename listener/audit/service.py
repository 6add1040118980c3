"""The audit loop's steps over the store: draw an audit of a period, write
its CSV, load the labels staff gave.

A period is one or more whole ISO weeks in the report's time zone, by
default the latest complete week with posts, so that the report of that
week finds an audit drawn from exactly its own period (and corrects its
shares with prediction-powered inference).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from listener.audit.csvfile import AuditFileError, read_csv, write_csv
from listener.audit.draw import draw, single_versions
from nlp.estimate import FLOOR
from reports.text import mask_handles
from reports.weeks import normal_week, week_span
from reports.write import latest_complete_week
from storage import Store
from storage.audit_records import ClassifierVersion, ItemToLabel
from storage.audits import GoldLabel
from storage.timefmt import format_week, parse_week, shift_week


class AuditError(ValueError):
    """An audit step that cannot be done, in plain words."""


@dataclass(frozen=True)
class Drawn:
    audit_id: int
    period: str
    items: int
    strata: int
    posts: int  # classified posts of the period it was drawn from
    unclassified: int  # posts of the period not yet classified (left out)
    versions: tuple[ClassifierVersion, ...]


@dataclass(frozen=True)
class Loaded:
    audit_ids: tuple[int, ...]
    labels: int
    items: int
    skipped: int  # rows left blank


def period_of(store: Store, tz: str, week: str | None, weeks: int,
              now: datetime | None = None) -> tuple[str, str, str]:
    """(start, end, label) of ``weeks`` whole weeks ending with ``week``
    (default: the latest complete week with posts)."""
    if weeks < 1:
        raise AuditError("--weeks must be at least 1")
    zone = ZoneInfo(tz)
    if week is None:
        week = latest_complete_week(store, zone, now)
        if week is None:
            raise AuditError("no complete week with posts to audit")
    try:
        week = normal_week(week)
    except ValueError as exc:
        raise AuditError(str(exc)) from None
    first = format_week(*shift_week(*parse_week(week), -(weeks - 1)))
    start, end = week_span(first, zone).utc[0], week_span(week, zone).utc[1]
    return start, end, week if weeks == 1 else f"{first} to {week}"


def draw_audit(store: Store, *, tz: str, week: str | None = None, weeks: int = 1,
               n: int = 200, seed: int = 0, floor: int = FLOOR,
               now: datetime | None = None) -> Drawn:
    """Draw and record an audit of the period; refuses, saying why, when the
    period has nothing classified or mixes classifier versions."""
    start, end, label = period_of(store, tz, week, weeks, now)
    found = store.audit_draws.period_posts(start, end)
    if not found.candidates:
        raise AuditError(f"{label} has no classified posts to audit"
                         + (f" ({found.posts} not yet classified: run `listener classify`)"
                            if found.posts else ""))
    versions, why = single_versions(found.versions)
    if why:
        raise AuditError(why)
    made = draw(found.candidates, n, seed=seed, period=(start, end), label=label,
                versions=versions, floor=floor)
    audit_id = store.audit_draws.record(made)
    return Drawn(audit_id, label, len(made.items), len(made.sizes), len(found.candidates),
                 found.unclassified, made.versions)


def items_shown(store: Store, audit_id: int, official: Collection[str], after: int = 0
                ) -> list[ItemToLabel]:
    """The audit's posts (after position ``after``) as staff see them: every
    @handle masked except the body's official accounts, as in the report."""
    return [replace(item, text=mask_handles(item.text, official))
            for item in store.audits.items_to_label(audit_id, after)]


def export_audit(store: Store, audit_id: int, path: Path, official: Collection[str]) -> int:
    """Write the audit's CSV for labelling; returns the posts written."""
    if store.audits.get(audit_id) is None:
        raise AuditError(f"there is no audit {audit_id} (see `listener audit list`)")
    return write_csv(path, items_shown(store, audit_id, official))


def load_labels(store: Store, path: Path, topics: Mapping[str, str],
                labeller: str | None) -> Loaded:
    """Store the labels of a filled-in audit CSV. Every row is checked
    first; one problem (file, line, column) stores nothing."""
    try:
        rows, blank = read_csv(path, topics)
    except AuditFileError as exc:
        raise AuditError(str(exc)) from None
    by_audit: dict[tuple[int, str], list[GoldLabel]] = {}
    problems = []
    for row in rows:
        who = row.labeller or labeller
        if not who:
            problems.append(f"{path}, line {row.line}: who labelled it? give --labeller NAME"
                            " or fill in the 'labeller' column")
            continue
        by_audit.setdefault((row.audit_id, who), []).extend(
            GoldLabel(row.position, task, labels) for task, labels in row.gold.items())
    audit_ids = sorted({a for a, _ in by_audit})
    for audit_id in audit_ids:
        audit = store.audits.get(audit_id)
        if audit is None:
            problems.append(f"{path}: there is no audit {audit_id} in this database")
            continue
        known = {i.position for i in audit.items}
        problems += [f"{path}, line {r.line}: audit {audit_id} has no item {r.position}"
                     for r in rows if r.audit_id == audit_id and r.position not in known]
    if problems:
        raise AuditError("\n".join(problems))
    stored = sum(store.audits.save_labels(audit_id, labels, who, f"csv:{path.name}")
                 for (audit_id, who), labels in sorted(by_audit.items()))
    return Loaded(tuple(audit_ids), stored, len({(r.audit_id, r.position) for r in rows}),
                  blank)

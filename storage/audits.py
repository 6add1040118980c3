"""Stored audits (``storage.audit_draws`` records them): reading them back,
with the labels staff gave, and storing those labels (from the CSV or the
labelling page). Each label is kept with who gave it, when and how; a
second label of the same post and task replaces the first.

Tables: ``audits``, ``audit_versions``, ``audit_items``, ``audit_labels``
(``storage.migrations.m140_audit_tables``)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from storage.audit_records import Audit, AuditItem, ClassifierVersion, ItemToLabel, Labels
from storage.backend import Sql
from storage.timefmt import utcnow

_AUDIT = ("SELECT id, drawn_at, period_start, period_end, period_label, seed, sizes,"
          " predicted_counts FROM audits")
_ITEMS = (
    "SELECT i.position, i.post_ref, i.stratum, i.predicted, l.task, l.labels, l.labeller,"
    " l.labelled_at FROM audit_items i LEFT JOIN audit_labels l"
    " ON l.audit_id = i.audit_id AND l.position = i.position"
    " WHERE i.audit_id = ? ORDER BY i.position, l.task")
# The labels given so far as one JSON object per item: SQLite's
# json_group_object; PostgreSQL's json_object_agg, as text (psycopg would
# parse a json value; the reader parses the text on both).
_LABELS_SO_FAR = {"sqlite": "json_group_object(l.task, json(l.labels))",
                  "postgresql": "json_object_agg(l.task, l.labels::json)::text"}
_TO_LABEL = (
    "SELECT i.position, p.platform, p.created_at, COALESCE(p.title || '\n', '') || p.text,"
    " (SELECT {labels_so_far} FROM audit_labels l"
    "  WHERE l.audit_id = i.audit_id AND l.position = i.position)"
    " FROM audit_items i JOIN posts p ON p.id = i.post_ref"
    " WHERE i.audit_id = ? AND i.position > ? ORDER BY i.position")


@dataclass(frozen=True)
class GoldLabel:
    position: int
    task: str
    labels: Labels


@dataclass(frozen=True)
class AuditSummary:
    id: int
    period_label: str
    drawn_at: str
    items: int
    labelled: int  # items with a label for every task the audit judges
    versions: tuple[ClassifierVersion, ...]


class Audits:
    def __init__(self, sql: Sql) -> None:
        self.sql = sql

    def _versions(self, audit_id: int) -> tuple[ClassifierVersion, ...]:
        return tuple(ClassifierVersion(str(r[0]), str(r[1]), str(r[2])) for r in self.sql.execute(
            "SELECT task, classifier, version FROM audit_versions WHERE audit_id = ?"
            " ORDER BY task", [audit_id]))

    def _audit(self, row: Sequence[Any]) -> Audit:
        audit_id = int(row[0])
        base: dict[int, tuple[int | None, str, dict[str, Labels]]] = {}
        gold: dict[int, dict[str, Labels]] = {}
        latest: dict[int, tuple[str, str]] = {}  # position -> (labelled_at, labeller)
        for r in self.sql.execute(_ITEMS, [audit_id]):
            pos = int(r[0])
            base[pos] = (None if r[1] is None else int(r[1]), str(r[2]),
                         {t: tuple(v) for t, v in json.loads(r[3]).items()})
            gold.setdefault(pos, {})
            if r[4] is not None:
                gold[pos][str(r[4])] = tuple(json.loads(r[5]))
                latest[pos] = max(latest.get(pos, ("", "")), (str(r[7]), str(r[6])))
        items = tuple(AuditItem(audit_id, pos, post, stratum, predicted, gold[pos],
                                latest[pos][1] if pos in latest else None,
                                latest[pos][0] if pos in latest else None)
                      for pos, (post, stratum, predicted) in base.items())
        return Audit(audit_id, str(row[1]), str(row[2]), str(row[3]), str(row[4]), int(row[5]),
                     self._versions(audit_id), json.loads(row[6]), json.loads(row[7]), items)

    def get(self, audit_id: int) -> Audit | None:
        row = self.sql.execute(f"{_AUDIT} WHERE id = ?", [audit_id]).fetchone()
        return None if row is None else self._audit(row)

    def judging(self, version: ClassifierVersion) -> list[Audit]:
        """Every audit that judged ``version``, newest draw first."""
        rows = self.sql.execute(
            f"{_AUDIT} WHERE id IN (SELECT audit_id FROM audit_versions WHERE task = ?"  # noqa: S608
            " AND classifier = ? AND version = ?) ORDER BY drawn_at DESC, id DESC",
            [version.task, version.classifier, version.version]).fetchall()
        return [self._audit(r) for r in rows]

    def summaries(self) -> list[AuditSummary]:
        """Every audit, newest first, with how far its labelling has got."""
        out = []
        for r in self.sql.execute(
                "SELECT a.id, a.period_label, a.drawn_at, (SELECT count(*) FROM audit_items i"
                " WHERE i.audit_id = a.id), (SELECT count(*) FROM (SELECT 1 FROM audit_labels l"
                " WHERE l.audit_id = a.id GROUP BY l.position HAVING count(*) >= (SELECT count(*)"
                " FROM audit_versions v WHERE v.audit_id = a.id)) AS done) FROM audits a"
                " ORDER BY a.id DESC").fetchall():
            out.append(AuditSummary(int(r[0]), str(r[1]), str(r[2]), int(r[3]), int(r[4]),
                                    self._versions(int(r[0]))))
        return out

    def items_to_label(self, audit_id: int, after: int = 0) -> list[ItemToLabel]:
        """The audit's posts after position ``after`` that still exist, with
        the labels given so far (never the predicted ones)."""
        return [ItemToLabel(audit_id, int(r[0]), str(r[1]), str(r[2]), str(r[3]),
                            {t: tuple(v) for t, v in json.loads(r[4] or "{}").items()})
                for r in self.sql.execute(
                    _TO_LABEL.format(labels_so_far=_LABELS_SO_FAR[self.sql.dialect]),
                    [audit_id, after])]

    def save_labels(self, audit_id: int, labels: Sequence[GoldLabel], labeller: str,
                    source: str) -> int:
        """Store staff labels (one transaction); refuses positions the audit
        does not have, storing nothing. Returns the labels stored."""
        known = {int(r[0]) for r in self.sql.execute(
            "SELECT position FROM audit_items WHERE audit_id = ?", [audit_id])}
        unknown = sorted({g.position for g in labels} - known)
        if unknown:
            raise ValueError(f"audit {audit_id} has no item(s) {unknown[:10]}")
        now = utcnow()
        with self.sql.transaction():
            for g in labels:
                self.sql.execute(
                    "INSERT INTO audit_labels (audit_id, position, task, labels, labeller,"
                    " labelled_at, source) VALUES (?, ?, ?, ?, ?, ?, ?)"
                    " ON CONFLICT (audit_id, position, task) DO UPDATE SET labels ="
                    " excluded.labels, labeller = excluded.labeller, labelled_at ="
                    " excluded.labelled_at, source = excluded.source",
                    [audit_id, g.position, g.task, json.dumps(list(g.labels)), labeller, now,
                     source])
        return len(labels)

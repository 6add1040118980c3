# ruff: noqa: S608 - SQL here is joined from constant fragments; every value is a ? parameter
"""Writes and reads made by classification. Runs on both backends
(``storage.backend``): one SQL text each."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator, Sequence
from typing import Any, Protocol

from storage.backend import Sql
from storage.records import LabelRecord
from storage.timefmt import utcnow


class LabelRollups(Protocol):
    """The part of the rollups a label save goes through (``storage.rollups``)."""

    def changing(self, post_ids: Sequence[int], *, rolled_only: bool = False
                 ) -> contextlib.AbstractContextManager[None]: ...

    def labelling(self, post_ids: Sequence[int], task: str, classifier: str, version: str,
                  labels: Sequence[tuple[int, str, str | None]]
                  ) -> contextlib.AbstractContextManager[None]: ...


class Labels:
    def __init__(self, db: Sql, rollups: LabelRollups) -> None:
        self.db = db
        self.rollups = rollups

    def posts_to_label(
        self,
        task: str,
        *,
        batch_size: int = 1000,
        relabel: bool = False,
        since: str | None = None,
    ) -> Iterator[list[tuple[int, str]]]:
        """Batches of (post id, text) that no classifier has labelled yet for
        ``task``, or, with ``relabel``, every post (created since ``since``)
        so that history is labelled again under the current classifier and
        config. In id order, by keyset pagination, so labels written between
        batches do not shift the window. A config change applies to new posts
        at once and to history only on an explicit relabel."""
        last_id = 0
        while True:
            where, params = _to_label(task, relabel, since)
            sql = ("SELECT p.id, COALESCE(p.title || '\n', '') || p.text FROM posts p"
                   " LEFT JOIN label_state s ON s.post_id = p.id AND s.task = ?"
                   f" WHERE p.id > ?{where} ORDER BY p.id LIMIT ?")
            params[1:1] = [last_id]
            rows = [(int(r[0]), str(r[1])) for r in self.db.execute(
                sql, [*params, batch_size]).fetchall()]
            if not rows:
                return
            yield rows
            last_id = rows[-1][0]

    def count_to_label(self, task: str, *, relabel: bool = False,
                       since: str | None = None) -> int:
        """How many posts ``posts_to_label`` would hand out (for progress bars)."""
        where, params = _to_label(task, relabel, since)
        return int(self.db.execute(
            "SELECT count(*) FROM posts p LEFT JOIN label_state s ON s.post_id = p.id"
            f" AND s.task = ? WHERE 1 = 1{where}",
            params).fetchone()[0])

    def save(
        self,
        task: str,
        classifier: str,
        version: str,
        config_hash: str | None,
        post_ids: Sequence[int],
        labels: Sequence[LabelRecord],
    ) -> None:
        """Replace the ``task`` labels of ``post_ids`` with ``labels`` and mark
        those posts as looked at, in one transaction with the rollups' change."""
        now = utcnow()
        rows = [(lab.post_id, lab.task, lab.label, lab.score, lab.classifier, lab.version,
                 lab.model_id, json.dumps(list(lab.evidence), ensure_ascii=False)
                 if lab.evidence else None, config_hash, now) for lab in labels]
        ids = set(post_ids)
        if all(lab.task == task and lab.post_id in ids for lab in labels):
            rollups = self.rollups.labelling(post_ids, task, classifier, version,
                                             [(row[0], row[2], row[7]) for row in rows])
        else:  # labels beyond the task's posts: read the posts before and after
            rollups = self.rollups.changing(post_ids)
        with self.db.transaction(), rollups:
            self.db.executemany(
                "DELETE FROM labels WHERE post_id = ? AND task = ?",
                [(pid, task) for pid in post_ids],
            )
            self.db.executemany(  # a label given twice: the last one stays
                "INSERT INTO labels (post_id, task, label, score, classifier,"
                " version, model_id, evidence, config_hash, labelled_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (post_id, task, label)"
                " DO UPDATE SET score = excluded.score, classifier = excluded.classifier,"
                " version = excluded.version, model_id = excluded.model_id,"
                " evidence = excluded.evidence, config_hash = excluded.config_hash,"
                " labelled_at = excluded.labelled_at", rows)
            self.db.executemany(
                "INSERT INTO label_state (post_id, task, classifier, version, config_hash,"
                " labelled_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (post_id, task) DO UPDATE"
                " SET classifier = excluded.classifier, version = excluded.version,"
                " config_hash = excluded.config_hash, labelled_at = excluded.labelled_at",
                [(pid, task, classifier, version, config_hash, now) for pid in post_ids],
            )

    def for_post(self, post_id: int) -> list[LabelRecord]:
        rows = self.db.execute(
            "SELECT post_id, task, label, score, classifier, version, model_id, evidence"
            " FROM labels WHERE post_id = ? ORDER BY task, label",
            [post_id],
        ).fetchall()
        return [
            LabelRecord(r[0], r[1], r[2], r[3], r[4], r[5], r[6],
                        tuple(json.loads(r[7])) if r[7] else ())
            for r in rows
        ]


def _to_label(task: str, relabel: bool, since: str | None) -> tuple[str, list[Any]]:
    """The conditions (after the join on ``task``) of the posts to label."""
    where, params = "", [task]
    if since is not None:
        where += " AND p.created_at >= ?"
        params.append(since)
    if not relabel:
        where += " AND s.post_id IS NULL"
    return where, params

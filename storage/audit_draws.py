"""Drawing an audit: the period's classified posts as the draw sees them
(no text, no author), and recording what was drawn (``storage.audits``
reads it back and stores the labels)."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass

from sqlite_utils import Database

from storage.audit_records import AuditDraw, ClassifierVersion, DrawCandidate
from storage.db import write_transaction
from storage.timefmt import utcnow

# Posts of the period that both the topic and the sentiment classifier
# looked at, with their topic labels (and scores) and sentiment label.
_CANDIDATES = (
    "SELECT p.id, st.classifier, st.version, tt.classifier, tt.version,"
    " (SELECT l.label FROM labels l WHERE l.post_id = p.id AND l.task = 'sentiment'"
    "  ORDER BY l.score DESC, l.label LIMIT 1),"
    " (SELECT json_group_array(json_array(l.label, COALESCE(l.score, 0))) FROM labels l"
    "  WHERE l.post_id = p.id AND l.task = 'topic')"
    " FROM posts p"
    " JOIN label_state st ON st.post_id = p.id AND st.task = 'sentiment'"
    " JOIN label_state tt ON tt.post_id = p.id AND tt.task = 'topic'"
    " WHERE p.created_at >= ? AND p.created_at < ? ORDER BY p.id"
)
_IN_PERIOD = "SELECT count(*) FROM posts WHERE created_at >= ? AND created_at < ?"


@dataclass(frozen=True)
class PeriodPosts:
    candidates: list[DrawCandidate]
    versions: Counter[ClassifierVersion]  # posts labelled by each version
    posts: int  # every post of the period, classified or not

    @property
    def unclassified(self) -> int:
        """Posts of the period not yet looked at by both classifiers."""
        return self.posts - len(self.candidates)


class AuditDraws:
    def __init__(self, db: Database) -> None:
        self.db = db

    def period_posts(self, start: str, end: str) -> PeriodPosts:
        """The posts created in ``[start, end)`` (UTC ISO) that an audit may draw."""
        candidates: list[DrawCandidate] = []
        versions: Counter[ClassifierVersion] = Counter()
        for row in self.db.execute(_CANDIDATES, [start, end]):
            versions[ClassifierVersion("sentiment", str(row[1]), str(row[2]))] += 1
            versions[ClassifierVersion("topic", str(row[3]), str(row[4]))] += 1
            topics = tuple((str(t), float(s)) for t, s in json.loads(row[6] or "[]"))
            candidates.append(DrawCandidate(int(row[0]), topics,
                                            str(row[5]) if row[5] is not None else None))
        total = int(self.db.execute(_IN_PERIOD, [start, end]).fetchone()[0])
        return PeriodPosts(candidates, versions, total)

    def record(self, draw: AuditDraw) -> int:
        """Store the draw (one transaction); returns the new audit's id."""
        with write_transaction(self.db):
            cur = self.db.execute(
                "INSERT INTO audits (drawn_at, period_start, period_end, period_label, seed,"
                " requested, sizes, predicted_counts) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [utcnow(), draw.period_start, draw.period_end, draw.period_label, draw.seed,
                 draw.requested, json.dumps(draw.sizes, sort_keys=True),
                 json.dumps(draw.predicted_counts, sort_keys=True)])
            audit_id = int(cur.lastrowid or 0)
            for v in draw.versions:
                self.db.execute("INSERT INTO audit_versions (audit_id, task, classifier, version)"
                                " VALUES (?, ?, ?, ?)", [audit_id, v.task, v.classifier,
                                                         v.version])
            for item in draw.items:
                self.db.execute(
                    "INSERT INTO audit_items (audit_id, position, post_ref, stratum, predicted)"
                    " VALUES (?, ?, ?, ?, ?)",
                    [audit_id, item.position, item.post_id, item.stratum,
                     json.dumps({t: list(v) for t, v in item.predicted.items()},
                                sort_keys=True)])
        return audit_id

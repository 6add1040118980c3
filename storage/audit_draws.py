"""Drawing an audit: the period's classified posts as the draw sees them
(no text, no author), and recording what was drawn (``storage.audits``
reads it back and stores the labels)."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass

from storage.audit_records import AuditDraw, ClassifierVersion, DrawCandidate
from storage.backend import Sql
from storage.timefmt import utcnow

# Posts of the period that both the topic and the sentiment classifier
# looked at, with their topic labels (and scores) and sentiment label.
_CANDIDATES = (
    "SELECT p.id, st.classifier, st.version, tt.classifier, tt.version,"
    " (SELECT l.label FROM labels l WHERE l.post_id = p.id AND l.task = 'sentiment'"
    "  ORDER BY l.score DESC, l.label LIMIT 1),"
    " (SELECT {topics} FROM labels l"
    "  WHERE l.post_id = p.id AND l.task = 'topic')"
    " FROM posts p"
    " JOIN label_state st ON st.post_id = p.id AND st.task = 'sentiment'"
    " JOIN label_state tt ON tt.post_id = p.id AND tt.task = 'topic'"
    " WHERE p.created_at >= ? AND p.created_at < ? ORDER BY p.id"
)
# A post's topic labels and scores as one JSON array of pairs: SQLite's
# json_group_array (in the labels' key order); PostgreSQL's json_agg, ordered
# by label the same way, as text (psycopg would parse a json value).
_TOPICS = {"sqlite": "json_group_array(json_array(l.label, COALESCE(l.score, 0)))",
           "postgresql": "json_agg(json_build_array(l.label, COALESCE(l.score, 0))"
                         " ORDER BY l.label)::text"}
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
    def __init__(self, sql: Sql) -> None:
        self.sql = sql

    def period_posts(self, start: str, end: str) -> PeriodPosts:
        """The posts created in ``[start, end)`` (UTC ISO) that an audit may draw."""
        candidates: list[DrawCandidate] = []
        versions: Counter[ClassifierVersion] = Counter()
        for row in self.sql.execute(
                _CANDIDATES.format(topics=_TOPICS[self.sql.dialect]), [start, end]):
            versions[ClassifierVersion("sentiment", str(row[1]), str(row[2]))] += 1
            versions[ClassifierVersion("topic", str(row[3]), str(row[4]))] += 1
            topics = tuple((str(t), float(s)) for t, s in json.loads(row[6] or "[]"))
            candidates.append(DrawCandidate(int(row[0]), topics,
                                            str(row[5]) if row[5] is not None else None))
        total = int(self.sql.execute(_IN_PERIOD, [start, end]).fetchone()[0])
        return PeriodPosts(candidates, versions, total)

    def record(self, draw: AuditDraw) -> int:
        """Store the draw (one transaction); returns the new audit's id."""
        with self.sql.transaction():
            audit_id = self.sql.insert_id(
                "INSERT INTO audits (drawn_at, period_start, period_end, period_label, seed,"
                " requested, sizes, predicted_counts) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [utcnow(), draw.period_start, draw.period_end, draw.period_label, draw.seed,
                 draw.requested, json.dumps(draw.sizes, sort_keys=True),
                 json.dumps(draw.predicted_counts, sort_keys=True)])
            for v in draw.versions:
                self.sql.execute("INSERT INTO audit_versions (audit_id, task, classifier, version)"
                                 " VALUES (?, ?, ?, ?)", [audit_id, v.task, v.classifier,
                                                          v.version])
            for item in draw.items:
                self.sql.execute(
                    "INSERT INTO audit_items (audit_id, position, post_ref, stratum, predicted)"
                    " VALUES (?, ?, ?, ?, ?)",
                    [audit_id, item.position, item.post_id, item.stratum,
                     json.dumps({t: list(v) for t, v in item.predicted.items()},
                                sort_keys=True)])
        return audit_id

"""The read that picks posts for staff to label (``listener label export``).

A reproducible sample: posts are ordered by a seeded integer hash of their
id, so the same seed gives the same sample. With ``stratify`` the sample is
spread evenly over the current topic labels (and the unclassified posts), so
rare topics are represented. No author columns leave the database."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from storage.backend import Sql

UNCLASSIFIED = "(none)"
_ORDER = "((p.id + :seed) * 2654435761) % 4294967296"


@dataclass(frozen=True)
class ExportRow:
    post_id: int
    platform: str
    created_at: str
    text: str
    topics: str  # current topic labels, "; "-separated
    sentiment: str


# Only module constants are formatted into the SQL; every value is a bound parameter.
# The one difference between the backends is the name of the aggregate that
# joins strings: SQLite's group_concat, PostgreSQL's string_agg.
_SELECT = f"""
SELECT p.id, p.platform, p.created_at, COALESCE(p.title || '\n', '') || p.text,
       (SELECT {{concat}}(l.label, '; ') FROM labels l
         WHERE l.post_id = p.id AND l.task = 'topic') AS topics,
       (SELECT l.label FROM labels l
         WHERE l.post_id = p.id AND l.task = 'sentiment' LIMIT 1) AS sentiment
FROM posts p
WHERE {{where}}
ORDER BY {_ORDER}
LIMIT :n
"""  # noqa: S608
_HAS_TOPIC = "EXISTS (SELECT 1 FROM labels l WHERE l.post_id = p.id AND l.task = 'topic'" \
             " AND l.label = :topic)"
_VOICE = "EXISTS (SELECT 1 FROM conversations c WHERE c.post_id = p.id AND c.voice = :voice)"
_NO_TOPIC = "NOT EXISTS (SELECT 1 FROM labels l WHERE l.post_id = p.id AND l.task = 'topic')"


_CONCAT = {"sqlite": "group_concat", "postgresql": "string_agg"}
_ALL = "TRUE"  # not SQLite's bare 1: PostgreSQL wants a boolean


class LabelExport:
    """Runs on both backends (``storage.backend``)."""

    def __init__(self, db: Sql) -> None:
        self.db = db

    def _rows(self, where: str, params: dict[str, Any]) -> list[ExportRow]:
        if params.get("voice"):  # e.g. to_us: the posts addressed to the body
            where = f"({where}) AND {_VOICE}"
        cur = self.db.execute(_SELECT.format(where=where, concat=_CONCAT[self.db.dialect]),
                              params)
        return [ExportRow(int(r[0]), r[1], r[2], r[3], r[4] or "", r[5] or "")
                for r in cur.fetchall()]

    def topic_counts(self) -> dict[str, int]:
        """Posts per current topic label, and the unclassified posts."""
        rows = self.db.execute("SELECT label, count(DISTINCT post_id) FROM labels"
                               " WHERE task = 'topic' GROUP BY label ORDER BY label").fetchall()
        counts = {str(r[0]): int(r[1]) for r in rows}
        counts[UNCLASSIFIED] = int(self.db.execute(
            f"SELECT count(*) FROM posts p WHERE {_NO_TOPIC}").fetchone()[0])  # noqa: S608
        return counts

    def sample(self, n: int, *, topic: str | None = None, stratify: bool = False,
               seed: int = 0, voice: str | None = None) -> list[ExportRow]:
        """Up to ``n`` posts: all posts, one topic's posts, or spread over
        topics; with ``voice``, only posts of that voice (``to_us``: the
        questions and complaints classifier's labelling loop)."""
        if n <= 0:
            return []
        if topic is not None:
            where = _NO_TOPIC if topic == UNCLASSIFIED else _HAS_TOPIC
            return self._rows(where, {"topic": topic, "n": n, "seed": seed, "voice": voice})
        if not stratify:
            return self._rows(_ALL, {"n": n, "seed": seed, "voice": voice})
        groups = [g for g, c in self.topic_counts().items() if c]
        picked: dict[int, ExportRow] = {}
        quota = max(1, n // max(len(groups), 1))
        for group in groups:
            where = _NO_TOPIC if group == UNCLASSIFIED else _HAS_TOPIC
            for row in self._rows(where, {"topic": group, "n": quota, "seed": seed,
                                          "voice": voice}):
                picked.setdefault(row.post_id, row)
        if len(picked) < n:  # small topics left room: fill from everything
            for row in self._rows(_ALL, {"n": n * 2, "seed": seed, "voice": voice}):
                if len(picked) >= n:
                    break
                picked.setdefault(row.post_id, row)
        return list(picked.values())[:n]

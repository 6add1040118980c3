"""Reads behind ``listener topics suggest`` and ``listener topics health``:
the stored posts of a window, each with its current topic labels. No author
columns leave the database."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from storage.backend import Sql


@dataclass(frozen=True)
class TermPost:
    post_id: int
    created_at: str
    text: str  # title and text, as classification sees them
    topics: tuple[str, ...]  # current topic labels


# Only module constants are formatted into the SQL; every value is bound. The
# one difference between the backends is the aggregate that gives a post's
# topics as a JSON list (text): SQLite's json_group_array (read through an
# index whose next column is the label, so sorted); PostgreSQL's json_agg,
# sorted, as text (NULL over no rows, read as []).
_TOPICS = {
    "sqlite": "json_group_array(l.label)",
    "postgresql": "json_agg(l.label ORDER BY l.label)::text",
}
_SELECT = """
SELECT p.id, p.created_at, COALESCE(p.title || '\n', '') || p.text,
       (SELECT {topics} FROM labels l
         WHERE l.post_id = p.id AND l.task = 'topic') AS topics
FROM posts p
WHERE p.created_at >= :since AND p.created_at <= :until {extra}
ORDER BY p.id DESC
LIMIT :limit
"""
_NO_TOPIC = ("AND NOT EXISTS (SELECT 1 FROM labels l WHERE l.post_id = p.id"
             " AND l.task = 'topic')")


class TopicTermReads:
    """Posts for mining and checking topic terms, over one connection."""

    def __init__(self, db: Sql) -> None:
        self.db = db

    def newest_post_at(self) -> str | None:
        row = self.db.execute("SELECT max(created_at) FROM posts").fetchone()
        return str(row[0]) if row and row[0] else None

    def posts_between(self, since: str, until: str, *, unclassified_only: bool = False,
                      limit: int = 50_000) -> list[TermPost]:
        """Posts created in [since, until] (ISO UTC text), newest first, at
        most ``limit``; with ``unclassified_only`` only those with no topic."""
        params: dict[str, Any] = {"since": since, "until": until, "limit": limit}
        sql = _SELECT.format(topics=_TOPICS[self.db.dialect],
                             extra=_NO_TOPIC if unclassified_only else "")
        return [TermPost(int(r[0]), str(r[1]), str(r[2]), tuple(json.loads(r[3] or "[]")))
                for r in self.db.execute(sql, params).fetchall()]

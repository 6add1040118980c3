"""Reads of the conversation the body takes part in (``store.engagement``):
questions and complaints addressed to it with their first response, its own
posts with the replies they drew, and what is still waiting for an answer.

A question or complaint "to the body" is a ``to_us`` post (a reply to the
body's post, or a mention of it) with a ``request`` label ``question`` or
``complaint``; its first response is the earliest ``own`` post replying to
it directly. Authors never leave this module: ``authors(post_ids)`` only
counts the distinct authors of a set of posts (for "at least 10 authors").
Bounds are UTC ISO text, half-open ``[start, end)``.

Runs on both backends (``storage.backend``); the one text that differs is
the aggregate joining a post's labels (``group_concat`` / ``string_agg``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from storage.backend import Sql

REQUEST_TASK = "request"
KINDS = ("question", "complaint")
_SEP = "\x1f"


@dataclass(frozen=True)
class Shown:
    """A post as a report or the page may show it (no author)."""

    post_id: int
    platform: str
    native_id: str  # the platform's id: the report links by it, not by the stored URL
    created_at: str
    url: str | None
    text: str
    title: str | None


@dataclass(frozen=True)
class Request(Shown):
    kinds: tuple[str, ...]  # question, complaint
    topics: tuple[str, ...]
    answered_at: str | None  # the body's first direct reply, UTC


@dataclass(frozen=True)
class OwnPost(Shown):
    author_handle: str | None
    replies: int | None  # as the platform reports them
    reposts: int | None
    likes: int | None
    quotes: int | None
    stored_replies: int  # residents' replies collected
    replies_sentiment: dict[str, int]  # label -> residents' replies
    replies_authors: int  # distinct authors of those replies


@dataclass(frozen=True)
class ReplySentiment:
    counts: dict[str, int]  # sentiment label ("" when none yet) -> replies
    authors: int


# only module constants are formatted into the SQL; every value is a parameter
_REQUESTS = f"""
SELECT c.post_id, p.platform, p.native_id, p.created_at, p.url, p.text, p.title,
  (SELECT {{labels}} FROM labels l WHERE l.post_id = c.post_id
     AND l.task = '{REQUEST_TASK}' AND l.label IN {KINDS}),
  (SELECT {{labels}} FROM labels l WHERE l.post_id = c.post_id
     AND l.task = 'topic'),
  (SELECT min(r.created_at) FROM conversations r WHERE r.parent_id = c.post_id
     AND r.voice = 'own' AND r.created_at >= c.created_at)
FROM conversations c JOIN posts p ON p.id = c.post_id
WHERE c.voice = 'to_us' AND c.created_at >= ? AND c.created_at < ?
  AND EXISTS (SELECT 1 FROM labels l WHERE l.post_id = c.post_id
              AND l.task = '{REQUEST_TASK}' AND l.label IN {KINDS})
ORDER BY c.created_at, c.post_id
"""  # noqa: S608
_OWN = """
SELECT p.id, p.platform, p.native_id, p.created_at, p.url, p.text, p.title, p.author_handle,
  p.replies, p.reposts, p.likes, p.quotes
FROM conversations c JOIN posts p ON p.id = c.post_id
WHERE c.voice = 'own' AND c.created_at >= ? AND c.created_at < ?
ORDER BY c.created_at, c.post_id
"""
_REPLIES = """
SELECT r.parent_id, COALESCE(s.label, ''), r.post_id
FROM conversations r
LEFT JOIN labels s ON s.post_id = r.post_id AND s.task = 'sentiment'
WHERE r.voice = 'to_us' AND r.parent_id IN (SELECT c.post_id FROM conversations c
      WHERE c.voice = 'own' AND c.created_at >= ? AND c.created_at < ?)
"""


_LABELS = {"sqlite": "group_concat(l.label, char(31))",  # joined by _SEP
           "postgresql": "string_agg(l.label, chr(31))"}
_DISTINCT = "SELECT count(DISTINCT author_key) FROM posts"  # a count, never an identity
_MAX_BOUND = 400  # ids bound in one statement, under SQLite's limit


def _split(value: Any) -> tuple[str, ...]:
    return tuple(sorted(set(str(value).split(_SEP)))) if value else ()


class EngagementReader:
    def __init__(self, db: Sql) -> None:
        self.db = db
        self._requests = _REQUESTS.format(labels=_LABELS[db.dialect])

    def _rows(self, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        return [tuple(r) for r in self.db.execute(sql, list(params)).fetchall()]

    def requests(self, start: str, end: str) -> list[Request]:
        """Questions and complaints to the body made in ``[start, end)``, with
        when the body first answered each (or None). No pseudonym is read."""
        return [Request(int(r[0]), str(r[1]), str(r[2]), str(r[3]), r[4], str(r[5]), r[6],
                        _split(r[7]), _split(r[8]), r[9])
                for r in self._rows(self._requests, [start, end])]

    def unanswered(self, start: str, end: str) -> list[Request]:
        """The questions and complaints of ``[start, end)`` the body has not
        answered, oldest first."""
        return [r for r in self.requests(start, end) if r.answered_at is None]

    def authors(self, post_ids: Sequence[int]) -> int:
        """How many distinct authors wrote these posts (posts with no known
        author are not counted: fewer authors, never more)."""
        ids = sorted(set(post_ids))
        if len(ids) <= _MAX_BOUND:
            marks = ", ".join("?" * len(ids))
            row = self.db.execute(f"{_DISTINCT} WHERE id IN ({marks})", ids).fetchone()
            return int(row[0] or 0)
        staged = self.db.stage_ids("engaged_ids", ids)
        row = self.db.execute(f"{_DISTINCT} WHERE id IN (SELECT id FROM {staged})"  # noqa: S608
                              ).fetchone()
        self.db.execute(f"DELETE FROM {staged}")  # noqa: S608 - a name of ours
        return int(row[0] or 0)

    def own_posts(self, start: str, end: str) -> list[OwnPost]:
        """The body's own posts made in ``[start, end)``, each with the
        residents' replies collected and their sentiment."""
        replies: dict[int, list[tuple[str, int]]] = {}
        for parent, label, reply in self._rows(_REPLIES, [start, end]):
            replies.setdefault(int(parent), []).append((str(label), int(reply)))
        out = []
        for r in self._rows(_OWN, [start, end]):
            mine = replies.get(int(r[0]), [])
            counts: dict[str, int] = {}
            for label, _ in mine:
                counts[label] = counts.get(label, 0) + 1
            out.append(OwnPost(int(r[0]), str(r[1]), str(r[2]), str(r[3]), r[4], str(r[5]),
                               r[6], r[7], r[8], r[9], r[10], r[11], len(mine), counts,
                               self.authors([i for _, i in mine]) if mine else 0))
        return out

    def classified(self, start: str, end: str) -> bool:
        """Whether a question/complaint classifier has looked at any post
        addressed to the body in ``[start, end)``."""
        row = self.db.execute(
            "SELECT EXISTS (SELECT 1 FROM conversations c JOIN label_state x"
            " ON x.post_id = c.post_id AND x.task = ? WHERE c.voice = 'to_us'"
            " AND c.created_at >= ? AND c.created_at < ?)", [REQUEST_TASK, start, end]
        ).fetchone()
        return bool(row[0])

    def reply_sentiment(self, start: str, end: str) -> ReplySentiment:
        """Residents' replies to the body's posts made in ``[start, end)``, by
        sentiment, and how many authors wrote them."""
        counts: dict[str, int] = {}
        ids: list[int] = []
        for _, label, reply in self._rows(_REPLIES, [start, end]):
            counts[str(label)] = counts.get(str(label), 0) + 1
            ids.append(int(reply))
        return ReplySentiment(counts, self.authors(ids) if ids else 0)

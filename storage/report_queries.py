"""Every read the weekly report and the alerts make.

All aggregation happens here in SQL over the ``created_at`` index: callers
pass UTC ISO bounds (half-open ``[start, end)``) and get counts back, never
the week's rows. Author pseudonyms never leave this module: they are only
counted, or used to pick at most one post per author.
"""

# ruff: noqa: S608 - SQL here is joined from constant fragments; every value is a ? parameter
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

Bounds = tuple[str, str]


@dataclass(frozen=True)
class PostRow:
    id: int
    platform: str
    created_at: str
    url: str | None
    text: str
    title: str | None
    author_handle: str | None  # set only for allow-listed official accounts
    replies: int | None
    reposts: int | None
    likes: int | None
    quotes: int | None


_POST_COLS = ("p.id, p.platform, p.created_at, p.url, p.text, p.title, p.author_handle,"
              " p.replies, p.reposts, p.likes, p.quotes")


def _buckets(spans: Sequence[Bounds]) -> tuple[str, list[Any]]:
    """A ``b(i, s, e)`` CTE of numbered UTC bounds, joined to posts by range."""
    if not spans:
        raise ValueError("at least one time span is needed")
    values = ", ".join("(?, ?, ?)" for _ in spans)
    params: list[Any] = []
    for i, (start, end) in enumerate(spans):
        params += [i, start, end]
    return f"WITH b(i, s, e) AS (VALUES {values}) ", params


_IN_B = "JOIN posts p ON p.created_at >= b.s AND p.created_at < b.e "


class ReportReader:
    """Read-only aggregate queries over one database."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def _rows(self, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        return [tuple(r) for r in self.db.execute(sql, list(params)).fetchall()]

    def latest_post_before(self, end: str) -> str | None:
        row = self.db.execute(
            "SELECT max(created_at) FROM posts WHERE created_at < ?", [end]
        ).fetchone()
        return None if row is None or row[0] is None else str(row[0])

    def totals(self, spans: Sequence[Bounds]) -> list[tuple[int, int]]:
        """(posts, distinct authors) per span."""
        cte, params = _buckets(spans)
        got = {r[0]: (int(r[1]), int(r[2])) for r in self._rows(
            cte + "SELECT b.i, count(*), count(DISTINCT p.author_key) FROM b " + _IN_B
            + "GROUP BY b.i", params)}
        return [got.get(i, (0, 0)) for i in range(len(spans))]

    def label_counts(self, spans: Sequence[Bounds], task: str) -> list[dict[str, int]]:
        """Per span: posts per label of ``task``, plus ``"_unclassified"``
        (looked at, no label) and ``"_pending"`` (not looked at yet)."""
        cte, params = _buckets(spans)
        out: list[dict[str, int]] = [{} for _ in spans]
        for i, label, n in self._rows(
            cte + "SELECT b.i, l.label, count(*) FROM b " + _IN_B
            + "JOIN labels l ON l.post_id = p.id AND l.task = ? GROUP BY b.i, l.label",
            [*params, task],
        ):
            out[i][str(label)] = int(n)
        for i, pending, unclassified in self._rows(
            cte + "SELECT b.i, sum(s.post_id IS NULL), sum(s.post_id IS NOT NULL AND NOT"
            " EXISTS (SELECT 1 FROM labels l WHERE l.post_id = p.id AND l.task = ?))"
            " FROM b " + _IN_B + "LEFT JOIN label_state s ON s.post_id = p.id AND s.task = ?"
            " GROUP BY b.i",
            [*params, task, task],
        ):
            out[i]["_pending"] = int(pending or 0)
            out[i]["_unclassified"] = int(unclassified or 0)
        return out

    def topic_sentiment(self, span: Bounds) -> list[tuple[str, str | None, bool, int]]:
        """(topic, sentiment label or None, sentiment pending?, posts) over one span."""
        return [(str(t), s, bool(pending), int(n)) for t, s, pending, n in self._rows(
            "SELECT t.label, s.label, ss.post_id IS NULL, count(*) FROM posts p"
            " JOIN labels t ON t.post_id = p.id AND t.task = 'topic'"
            " LEFT JOIN labels s ON s.post_id = p.id AND s.task = 'sentiment'"
            " LEFT JOIN label_state ss ON ss.post_id = p.id AND ss.task = 'sentiment'"
            " WHERE p.created_at >= ? AND p.created_at < ?"
            " GROUP BY t.label, s.label, ss.post_id IS NULL",
            span)]

    def topic_authors(self, span: Bounds) -> dict[str, int]:
        return {str(t): int(n) for t, n in self._rows(
            "SELECT t.label, count(DISTINCT p.author_key) FROM posts p"
            " JOIN labels t ON t.post_id = p.id AND t.task = 'topic'"
            " WHERE p.created_at >= ? AND p.created_at < ? GROUP BY t.label", span)}

    def topic_counts(self, spans: Sequence[Bounds]) -> dict[str, list[int]]:
        """Posts per topic per span."""
        cte, params = _buckets(spans)
        out: dict[str, list[int]] = {}
        for i, topic, n in self._rows(
            cte + "SELECT b.i, t.label, count(*) FROM b " + _IN_B
            + "JOIN labels t ON t.post_id = p.id AND t.task = 'topic' GROUP BY b.i, t.label",
            params,
        ):
            out.setdefault(str(topic), [0] * len(spans))[i] = int(n)
        return out

    def term_counts(self, spans: Sequence[Bounds]) -> dict[tuple[str, str], list[int]]:
        """Posts per (topic, matched term) per span, from the topic evidence."""
        cte, params = _buckets(spans)
        out: dict[tuple[str, str], list[int]] = {}
        for i, topic, term, n in self._rows(
            cte + "SELECT b.i, t.label, lower(j.value), count(DISTINCT p.id) FROM b " + _IN_B
            + "JOIN labels t ON t.post_id = p.id AND t.task = 'topic'"
            " JOIN json_each(CASE WHEN json_valid(t.evidence) THEN t.evidence ELSE '[]' END) j"
            " GROUP BY b.i, t.label, lower(j.value)",
            params,
        ):
            out.setdefault((str(topic), str(term)), [0] * len(spans))[i] = int(n)
        return out

    def platform_counts(self, span: Bounds) -> list[tuple[str, int, int]]:
        """(platform, posts, distinct authors) over one span."""
        return [(str(a), int(b), int(c)) for a, b, c in self._rows(
            "SELECT platform, count(*), count(DISTINCT author_key) FROM posts"
            " WHERE created_at >= ? AND created_at < ? GROUP BY platform ORDER BY platform",
            span)]

    def engagement(self, span: Bounds) -> list[tuple[Any, ...]]:
        """Per platform: posts, authors, then for replies, reposts, likes,
        quotes: (posts where the platform gives it, sum)."""
        return self._rows(
            "SELECT platform, count(*), count(DISTINCT author_key),"
            " count(replies), sum(replies), count(reposts), sum(reposts),"
            " count(likes), sum(likes), count(quotes), sum(quotes) FROM posts"
            " WHERE created_at >= ? AND created_at < ? GROUP BY platform ORDER BY platform",
            span)

    def classifiers_used(self, span: Bounds) -> list[tuple[str, str, str, int]]:
        """(task, classifier, version, posts) that labelled posts of the span."""
        return [(str(a), str(b), str(c), int(d)) for a, b, c, d in self._rows(
            "SELECT s.task, s.classifier, s.version, count(*) FROM posts p"
            " JOIN label_state s ON s.post_id = p.id"
            " WHERE p.created_at >= ? AND p.created_at < ?"
            " GROUP BY s.task, s.classifier, s.version ORDER BY s.task, s.classifier", span)]

    def sample_posts(self, span: Bounds, *, topic: str | None = None,
                     term: str | None = None, order: str = "evidence",
                     limit: int = 3) -> list[PostRow]:
        """Up to ``limit`` posts of the span, at most one per author (so an
        author's posts are never listed together), optionally of one topic
        and matched term; ordered by how many terms matched ("evidence") or
        by engagement ("engagement"), then newest first."""
        params: list[Any] = []
        where = ["p.created_at >= ?", "p.created_at < ?"]
        params += list(span)
        join = ""
        if topic is not None:
            join = " JOIN labels t ON t.post_id = p.id AND t.task = 'topic' AND t.label = ?"
            params.insert(0, topic)
        if term is not None:
            if topic is None:
                raise ValueError("a term sample needs its topic")
            where.append("EXISTS (SELECT 1 FROM json_each(CASE WHEN json_valid(t.evidence)"
                         " THEN t.evidence ELSE '[]' END) j WHERE lower(j.value) = ?)")
            params.append(term.lower())
        if order == "engagement":
            key = ("COALESCE(p.replies, 0) + COALESCE(p.reposts, 0) + COALESCE(p.likes, 0)"
                   " + COALESCE(p.quotes, 0)")
            where.append(f"({key}) > 0")
        elif order == "evidence" and topic is not None:
            key = "COALESCE(json_array_length(t.evidence), 0)"
        else:
            key = "0"
        sql = (
            f"SELECT * FROM (SELECT {_POST_COLS}, {key} AS k, ROW_NUMBER() OVER"
            f" (PARTITION BY COALESCE(p.author_key, 'post:' || p.id)"
            f" ORDER BY {key} DESC, p.created_at DESC, p.id) AS rn"
            f" FROM posts p{join} WHERE {' AND '.join(where)})"
            " WHERE rn = 1 ORDER BY k DESC, created_at DESC, id LIMIT ?"
        )
        params.append(limit)
        return [PostRow(*r[:11]) for r in self._rows(sql, params)]

    def source_posts(self, span: Bounds) -> list[tuple[str, int]]:
        """(source, posts of the span it matched)."""
        return [(str(a), int(b)) for a, b in self._rows(
            "SELECT m.source, count(DISTINCT p.id) FROM posts p"
            " JOIN post_matches m ON m.post_id = p.id"
            " WHERE p.created_at >= ? AND p.created_at < ? GROUP BY m.source ORDER BY m.source",
            span)]

    def runs_between(self, span: Bounds) -> list[tuple[Any, ...]]:
        """(source, started_at, ended_at, status, fetched, new, error) of runs
        started in the span, oldest first."""
        return self._rows(
            "SELECT source, started_at, ended_at, status, fetched, new, error FROM runs"
            " WHERE started_at >= ? AND started_at < ? ORDER BY started_at, id", span)

    def last_ok_runs(self, before: str) -> dict[str, str]:
        """Per known source: when its latest successful run before ``before``
        ended ('' when it never succeeded)."""
        return {str(s): str(t or "") for s, t in self._rows(
            "SELECT source, max(CASE WHEN status = 'ok' THEN COALESCE(ended_at, started_at)"
            " END) FROM runs WHERE started_at < ? GROUP BY source", [before])}

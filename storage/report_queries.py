
"""Reads the weekly report and the alerts make outside the report window
(see ``storage.report_window`` for the week's aggregates): the latest post,
runs, and shared helpers. Bounds are UTC ISO text, half-open ``[start, end)``.
Runs on both backends (``storage.backend``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from storage.backend import Sql

Bounds = tuple[str, str]


@dataclass(frozen=True)
class PostRow:
    id: int
    platform: str
    native_id: str
    created_at: str
    url: str | None
    text: str
    title: str | None
    author_handle: str | None  # set only for allow-listed official accounts
    replies: int | None
    reposts: int | None
    likes: int | None
    quotes: int | None


def post_rows(db: Sql, ids: Sequence[int]) -> list[PostRow]:
    """The rows of these posts as a report shows them, in the order given."""
    if not ids:
        return []
    marks = ", ".join("?" for _ in ids)
    rows = {int(r[0]): PostRow(*r) for r in db.execute(
        "SELECT id, platform, native_id, created_at, url, text, title, author_handle,"  # noqa: S608
        f" replies, reposts, likes, quotes FROM posts WHERE id IN ({marks})", list(ids))}
    return [rows[i] for i in ids if i in rows]


class ReportReader:
    """Read-only queries over runs and the posts table as a whole."""

    def __init__(self, db: Sql) -> None:
        self.db = db

    def _rows(self, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        return [tuple(r) for r in self.db.execute(sql, list(params)).fetchall()]

    def latest_post_before(self, end: str) -> str | None:
        row = self.db.execute(
            "SELECT max(created_at) FROM posts WHERE created_at < ?", [end]
        ).fetchone()
        return None if row is None or row[0] is None else str(row[0])

    def first_post_at(self) -> str | None:
        """When the earliest stored post was written (UTC ISO): periods before
        it are before collection began, not periods with no posts."""
        row = self.db.execute("SELECT min(created_at) FROM posts").fetchone()
        return None if row is None or row[0] is None else str(row[0])

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

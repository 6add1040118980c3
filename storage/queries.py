"""Read queries for policy staff: filtered posts, full-text search, facet
counts and weekly counts. Reads only.

Every statement is fixed text with ``?`` parameters: filter values, the FTS5
expression and the week bounds are bound, never spliced in. Only the columns
named in ``_SELECT`` ever leave the database: never the author pseudonym,
never a raw payload or a quarantined item. ``time_limit`` bounds every statement.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

from sqlite_utils import Database

from storage.driver import sqlite3
from storage.query_plan import Planner, PostFilter, label_terms, where_clause
from storage.records import SENTIMENTS
from storage.rollup_trends import count_from_rollups, weekly_from_rollups

__all__ = ["Facet", "Planner", "PostFilter", "PostHit", "Queries", "QueryTimeout",
           "SearchSyntaxError", "WeekCount"]

HARD_ROW_CAP = 100_000
Facet = Literal["topic", "sentiment", "platform", "place"]


class QueryTimeout(RuntimeError):
    """A query ran past its time limit and was stopped."""


class SearchSyntaxError(ValueError):
    """SQLite rejected an advanced full-text expression; ``detail`` is its words."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


@dataclass(frozen=True)
class PostHit:
    id: int
    created_at: str
    platform: str
    native_id: str
    url: str | None
    title: str | None
    text: str
    author_handle: str | None  # set only for allow-listed official accounts
    topics: tuple[str, ...]
    sentiment: str | None


@dataclass(frozen=True)
class WeekCount:
    week: str
    total: int
    negative: int
    neutral: int
    positive: int


_SELECT = (
    "SELECT p.id, p.created_at, p.platform, p.native_id, p.url, p.title, p.text, p.author_handle,"
    " (SELECT group_concat(label, ' ') FROM (SELECT label FROM labels"
    "   WHERE post_id = p.id AND task = 'topic' ORDER BY label)),"
    " (SELECT label FROM labels WHERE post_id = p.id AND task = 'sentiment' LIMIT 1)"
    " FROM posts p"
)
# posts per sentiment label, in the order of ``WeekCount``'s fields
_PER_SENTIMENT = ", ".join(f"sum(s = '{name}')" for name in SENTIMENTS)


def _hit(r: Sequence[Any]) -> PostHit:
    return PostHit(int(r[0]), r[1], r[2], r[3], r[4], r[5], r[6], r[7],
                   tuple(r[8].split()) if r[8] else (), r[9])


class Queries:
    """The policy-staff reads over one connection (with ``time_limit``)."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._conn = db.conn
        self.planner = Planner(db)
        self.read_rollups = True  # False: weekly counts from the posts (tests compare)

    @contextlib.contextmanager
    def time_limit(self, ms: int) -> Iterator[None]:
        """Stop any statement on this connection that runs past ``ms``
        milliseconds and turn SQLite's errors into ``QueryTimeout`` /
        ``SearchSyntaxError``."""
        deadline = time.monotonic() + ms / 1000
        self._conn.set_progress_handler(lambda: int(time.monotonic() > deadline), 2000)
        try:
            yield
        except sqlite3.OperationalError as exc:
            message = str(exc)
            if message == "interrupted":
                raise QueryTimeout(
                    f"the query took longer than {ms} ms and was stopped") from None
            if message.startswith(("fts5:", "no such column", "unterminated string",
                                   "unknown special query", "expected integer",
                                   "malformed MATCH")) or "syntax error" in message:
                raise SearchSyntaxError(message) from None
            raise
        finally:
            self._conn.set_progress_handler(None, 0)

    def find_posts(self, f: PostFilter, *, limit: int, offset: int = 0) -> list[PostHit]:
        """Posts matching ``f``, newest first. The page of ids is chosen first,
        so labels are looked up for the rows returned, not for every match."""
        where, params = where_clause(f, self.planner.plan(f))
        order = " ORDER BY p.created_at DESC, p.id DESC"
        sql = (f"{_SELECT} WHERE p.id IN (SELECT p.id FROM posts p{where}{order}"
               f" LIMIT ? OFFSET ?){order}")
        rows = self._conn.execute(sql, [*params, max(0, min(limit, HARD_ROW_CAP)),
                                       max(0, offset)])
        return [_hit(r) for r in rows.fetchall()]

    def posts_by_id(self, post_ids: Sequence[int]) -> list[PostHit]:
        """The posts with these ids (a look-up by link), newest first."""
        ids = list(post_ids)[:HARD_ROW_CAP]
        if not ids:
            return []
        sql = (f"{_SELECT} WHERE p.id IN ({', '.join('?' * len(ids))})"
               " ORDER BY p.created_at DESC, p.id DESC")
        return [_hit(r) for r in self._conn.execute(sql, ids).fetchall()]

    def count_posts(self, f: PostFilter) -> int:
        """Posts matching ``f``: from the rollups for one topic (or none),
        sentiments and platforms between local midnights; from the indexes
        otherwise."""
        rolled = count_from_rollups(self.db, f) if self.read_rollups else None
        if rolled is not None:
            return rolled
        if f.match is not None and f == PostFilter(match=f.match):  # words only: the index knows
            sql = "SELECT count(*) FROM posts_fts WHERE posts_fts MATCH ?"
            return int(self._conn.execute(sql, [f.match]).fetchone()[0])
        terms = label_terms(f)
        if len(terms) == 1 and f == PostFilter(f.topics, f.sentiments, (), f.sources,
                                               places=f.places):
            table, condition, values = terms[0]  # one label/source set: count it on its index
            sql = f"SELECT count(DISTINCT post_id) FROM {table} WHERE {condition}"
            return int(self._conn.execute(sql, values).fetchone()[0])
        where, params = where_clause(f, self.planner.plan(f))
        return int(self._conn.execute(f"SELECT count(*) FROM posts p{where}",
                                     params).fetchone()[0])

    def facet_counts(self, f: PostFilter, facet: Facet) -> list[tuple[str, int]]:
        """How many matching posts carry each topic / sentiment / platform."""
        where, params = where_clause(f, self.planner.plan(f))
        if facet == "platform":
            sql = f"SELECT p.platform, count(*) FROM posts p{where} GROUP BY 1"
        elif f == PostFilter():  # everything: count the label index alone
            params = [facet]
            sql = "SELECT label, count(*) FROM labels WHERE task = ? GROUP BY 1"
        else:
            params = [facet, *params]
            sql = ("SELECT l.label, count(*) FROM posts p"
                   f" JOIN labels l ON l.post_id = p.id AND l.task = ?{where} GROUP BY 1")
        rows = self._conn.execute(sql + " ORDER BY 2 DESC, 1", params).fetchall()
        return [(str(r[0]), int(r[1])) for r in rows]

    def first_post_at(self) -> str | None:
        """When the earliest stored post was written (UTC ISO): weeks before
        it are before collection began, not weeks without posts."""
        row = self._conn.execute("SELECT min(created_at) FROM posts").fetchone()
        return None if row is None or row[0] is None else str(row[0])

    def weekly_counts(self, f: PostFilter,
                      weeks: Sequence[tuple[str, str, str]]) -> list[WeekCount]:
        """Counts per week and sentiment. ``weeks`` holds consecutive (label,
        start, end) in UTC ISO text, oldest first; they replace the date bounds
        of ``f``. From the rollups when they can answer (one topic or none,
        no source or words, whole local weeks); otherwise one pass over the
        whole span, each post put in its week."""
        if not weeks:
            return []
        rolled = weekly_from_rollups(self.db, f, weeks) if self.read_rollups else None
        if rolled is not None:
            return [WeekCount(*row) for row in rolled]
        span = replace(f, since=weeks[0][1], until=weeks[-1][2])
        where, params = where_clause(span, self.planner.plan(span))
        bucket = "CASE " + " ".join("WHEN p.created_at < ? THEN ?" for _ in weeks) + " END"
        bucket_params: list[Any] = [v for i, (_, _, end) in enumerate(weeks) for v in (end, i)]
        sql = (
            f"SELECT w, count(*), {_PER_SENTIMENT} FROM (SELECT {bucket} AS w,"
            " (SELECT label FROM labels WHERE post_id = p.id AND task = 'sentiment' LIMIT 1) AS s"
            f" FROM posts p{where}) GROUP BY w"
        )
        found = {int(r[0]): r
                 for r in self._conn.execute(sql, [*bucket_params, *params]).fetchall()}
        out = []
        for i, (label, _, _) in enumerate(weeks):
            r = found.get(i, (i, 0, 0, 0, 0))
            out.append(WeekCount(label, int(r[1]), int(r[2] or 0), int(r[3] or 0),
                                 int(r[4] or 0)))
        return out

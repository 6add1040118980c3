"""Read queries for policy staff: filtered posts, full-text search, facet
counts and weekly counts. Reads only; on both backends (docs/postgresql.md).

Every statement is fixed text with ``?`` parameters: filter values, the FTS5
expression and the week bounds are bound, never spliced in (on PostgreSQL the
FTS5 expression is parsed and written as a tsquery whose words are bound:
``storage.tsquery``). Only the columns named in ``_SELECT`` ever leave the
database: never the author pseudonym, never a raw payload or a quarantined
item. ``time_limit`` bounds every statement.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

from storage.backend import Sql, SqliteSql
from storage.driver import sqlite3
from storage.query_plan import Planner, PostFilter, label_terms, where_clause
from storage.records import SENTIMENTS
from storage.rollup_trends import count_from_rollups, weekly_from_rollups
from storage.tsquery import SearchSyntaxError

__all__ = ["Facet", "Planner", "PostFilter", "PostHit", "Queries", "QueryTimeout",
           "SearchSyntaxError", "WeekCount"]

HARD_ROW_CAP = 100_000
Facet = Literal["topic", "sentiment", "platform", "place"]


class QueryTimeout(RuntimeError):
    """A query ran past its time limit and was stopped."""


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


_COLUMNS = ("SELECT p.id, p.created_at, p.platform, p.native_id, p.url, p.title, p.text,"
            " p.author_handle,")
_SENTIMENT = "(SELECT label FROM labels WHERE post_id = p.id AND task = 'sentiment' LIMIT 1)"
_SELECT = {
    "sqlite": f"{_COLUMNS} (SELECT group_concat(label, ' ') FROM (SELECT label FROM labels"
              "   WHERE post_id = p.id AND task = 'topic' ORDER BY label)),"
              f" {_SENTIMENT} FROM posts p",
    "postgresql": f"{_COLUMNS} (SELECT string_agg(label, ' ' ORDER BY label) FROM labels"
                  "   WHERE post_id = p.id AND task = 'topic'),"
                  f" {_SENTIMENT} FROM posts p",
}


def _hit(r: Sequence[Any]) -> PostHit:
    return PostHit(int(r[0]), r[1], r[2], r[3], r[4], r[5], r[6], r[7],
                   tuple(r[8].split()) if r[8] else (), r[9])


class Queries:
    """The policy-staff reads over one connection (with ``time_limit``).

    Counts and weekly counts come from the rollups where they can answer
    (``storage.rollup_trends``, on both backends); ``read_rollups`` is the
    store's one switch (False: from the posts, as before rollups)."""

    def __init__(self, sql: Sql) -> None:
        self.sql = sql
        self.dialect = sql.dialect
        self.db = sql.database if isinstance(sql, SqliteSql) else None
        self.planner = Planner(sql)
        self.read_rollups = True  # False: weekly counts from the posts (tests compare)
        # posts per sentiment label, in the order of ``WeekCount``'s fields
        self._per_sentiment = ", ".join(sql.count_if(f"s = '{name}'") for name in SENTIMENTS)

    def _rows(self, sql: str, params: Sequence[Any]) -> list[Any]:
        return list(self.sql.execute(sql, list(params)).fetchall())

    @contextlib.contextmanager
    def time_limit(self, ms: int) -> Iterator[None]:
        """Stop any statement on this connection that runs past ``ms``
        milliseconds and turn the backend's errors into ``QueryTimeout`` /
        ``SearchSyntaxError``."""
        if self.db is None:
            with self._pg_time_limit(ms):
                yield
            return
        conn = self.db.conn
        deadline = time.monotonic() + ms / 1000
        conn.set_progress_handler(lambda: int(time.monotonic() > deadline), 2000)
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
            conn.set_progress_handler(None, 0)

    @contextlib.contextmanager
    def _pg_time_limit(self, ms: int) -> Iterator[None]:
        """PostgreSQL: the server stops a statement past ``statement_timeout``
        (this connection's own setting, put back afterwards)."""
        from psycopg import errors

        before = self.sql.execute("SELECT current_setting('statement_timeout')").fetchone()[0]
        self.sql.execute("SELECT set_config('statement_timeout', ?, false)", [str(max(1, ms))])
        try:
            yield
        except errors.QueryCanceled:
            raise QueryTimeout(f"the query took longer than {ms} ms and was stopped") from None
        finally:
            self.sql.execute("SELECT set_config('statement_timeout', ?, false)", [before])

    def find_posts(self, f: PostFilter, *, limit: int, offset: int = 0) -> list[PostHit]:
        """Posts matching ``f``, newest first. The page of ids is chosen first,
        so labels are looked up for the rows returned, not for every match."""
        if (g := _storable(f, self.dialect)) is None:
            return []
        where, params = self._where(g)
        order = " ORDER BY p.created_at DESC, p.id DESC"
        sql = (f"{_SELECT[self.dialect]} WHERE p.id IN (SELECT p.id FROM posts p{where}{order}"
               f" LIMIT ? OFFSET ?){order}")
        rows = self._rows(sql, [*params, max(0, min(limit, HARD_ROW_CAP)), max(0, offset)])
        return [_hit(r) for r in rows]

    def _where(self, f: PostFilter) -> tuple[str, list[Any]]:
        return where_clause(f, self.planner.plan(f), self.dialect)

    def posts_by_id(self, post_ids: Sequence[int]) -> list[PostHit]:
        """The posts with these ids (a look-up by link), newest first."""
        ids = list(post_ids)[:HARD_ROW_CAP]
        if not ids:
            return []
        sql = (f"{_SELECT[self.dialect]} WHERE p.id IN ({', '.join('?' * len(ids))})"
               " ORDER BY p.created_at DESC, p.id DESC")
        return [_hit(r) for r in self._rows(sql, ids)]

    def count_posts(self, f: PostFilter) -> int:
        """Posts matching ``f``: from the rollups for one topic (or none),
        sentiments and platforms between local midnights; from the indexes
        otherwise."""
        if (g := _storable(f, self.dialect)) is None:
            return 0
        f = g
        rolled = count_from_rollups(self.sql, f) if self.read_rollups else None
        if rolled is not None:
            return rolled
        if f.match is not None and f == PostFilter(match=f.match) and self.dialect == "sqlite":
            sql = "SELECT count(*) FROM posts_fts WHERE posts_fts MATCH ?"  # the index knows
            return int(self._rows(sql, [f.match])[0][0])
        terms = label_terms(f)
        if len(terms) == 1 and f == PostFilter(f.topics, f.sentiments, (), f.sources,
                                               places=f.places):
            table, condition, values = terms[0]  # one label/source set: count it on its index
            sql = f"SELECT count(DISTINCT post_id) FROM {table} WHERE {condition}"
            return int(self._rows(sql, values)[0][0])
        where, params = self._where(f)
        return int(self._rows(f"SELECT count(*) FROM posts p{where}", params)[0][0])

    def facet_counts(self, f: PostFilter, facet: Facet) -> list[tuple[str, int]]:
        """How many matching posts carry each topic / sentiment / platform."""
        if (g := _storable(f, self.dialect)) is None:
            return []
        f = g
        where, params = self._where(f)
        if facet == "platform":
            sql = f"SELECT p.platform, count(*) FROM posts p{where} GROUP BY 1"
        elif f == PostFilter():  # everything: count the label index alone
            params = [facet]
            sql = "SELECT label, count(*) FROM labels WHERE task = ? GROUP BY 1"
        else:  # the matching posts first, then each one's labels by key: left to
            # choose without statistics (no command runs ANALYZE), SQLite walked
            # every label of the task instead (14 s for a topic-week at 10M)
            params = [facet, *params]
            sql = (f"SELECT l.label, count(*) FROM posts p {self.sql.join_in_order()} labels l"
                   f" ON l.post_id = p.id AND l.task = ?{where} GROUP BY 1")
        rows = self._rows(sql + " ORDER BY 2 DESC, 1", params)
        return [(str(r[0]), int(r[1])) for r in rows]

    def first_post_at(self) -> str | None:
        """When the earliest stored post was written (UTC ISO): weeks before
        it are before collection began, not weeks without posts."""
        rows = self._rows("SELECT min(created_at) FROM posts", [])
        return None if not rows or rows[0][0] is None else str(rows[0][0])

    def weekly_counts(self, f: PostFilter,
                      weeks: Sequence[tuple[str, str, str]]) -> list[WeekCount]:
        """Counts per week and sentiment. ``weeks`` holds consecutive (label,
        start, end) in UTC ISO text, oldest first; they replace the date bounds
        of ``f``. From the rollups when they can answer (one topic or none,
        no source or words, whole local weeks); otherwise one pass over the
        whole span, each post put in its week."""
        if not weeks:
            return []
        rolled = weekly_from_rollups(self.sql, f, weeks) if self.read_rollups else None
        if rolled is not None:
            return [WeekCount(*row) for row in rolled]
        span = _storable(replace(f, since=weeks[0][1], until=weeks[-1][2]), self.dialect)
        if span is None:
            return [WeekCount(label, 0, 0, 0, 0) for label, _, _ in weeks]
        where, params = self._where(span)
        bucket = "CASE " + " ".join("WHEN p.created_at < ? THEN ?" for _ in weeks) + " END"
        bucket_params: list[Any] = [v for i, (_, _, end) in enumerate(weeks) for v in (end, i)]
        sql = (
            f"SELECT w, count(*), {self._per_sentiment} FROM (SELECT {bucket} AS w,"
            f" {_SENTIMENT} AS s FROM posts p{where}) AS bucketed GROUP BY w"
        )
        found = {int(r[0]): r for r in self._rows(sql, [*bucket_params, *params])}
        out = []
        for i, (label, _, _) in enumerate(weeks):
            r = found.get(i, (i, 0, 0, 0, 0))
            out.append(WeekCount(label, int(r[1]), int(r[2] or 0), int(r[3] or 0),
                                 int(r[4] or 0)))
        return out


def _storable(f: PostFilter, dialect: str) -> PostFilter | None:
    """``f`` as PostgreSQL can bind it: a value holding NUL (which no
    PostgreSQL text can hold, so no stored post has it) is dropped from its
    list; None when that leaves a list empty (nothing can match). On SQLite
    ``f`` as it is (such a value matches nothing there either). Date bounds
    are the caller's own ISO text: one holding NUL is refused."""
    if dialect == "sqlite":
        return f
    lists: dict[str, Any] = {}
    for name in ("topics", "sentiments", "platforms", "sources", "places"):
        values: tuple[str, ...] = getattr(f, name)
        kept = tuple(v for v in values if "\x00" not in v)
        if values and not kept:
            return None
        lists[name] = kept
    if any(v is not None and "\x00" in v for v in (f.since, f.until)):
        raise ValueError("a date bound holds a NUL character")
    return replace(f, **lists)

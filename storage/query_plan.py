"""How the read queries walk the posts: the WHERE clause of a filter and
the plan that decides which set SQLite walks and which it only tests.

Fixed SQL fragments and ``?`` placeholders only; every value is bound.
A plan changes speed, never results. On PostgreSQL the server's planner
chooses (its statistics know the sets' sizes), so the plan is always the
plain one, and the words to match are a condition on ``posts.search``
(``storage.tsquery``) instead of FTS5's ``MATCH``.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from storage.backend import Dialect, Sql, SqliteSql
from storage.driver import sqlite3
from storage.tsquery import condition as search_condition


@dataclass(frozen=True)
class PostFilter:
    topics: tuple[str, ...] = ()
    sentiments: tuple[str, ...] = ()
    platforms: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    since: str | None = None  # UTC ISO text, inclusive
    until: str | None = None  # UTC ISO text, exclusive
    match: str | None = None  # an FTS5 expression, bound as a parameter
    places: tuple[str, ...] = ()  # gazetteer place slugs (``place`` labels)


def marks(values: Sequence[str]) -> str:
    return ", ".join("?" for _ in values)


Term = tuple[str, str, list[Any]]  # table, condition on it, parameters


def label_terms(f: PostFilter) -> list[Term]:
    """The label and source conditions of ``f``, each on a table keyed by post_id."""
    terms: list[Term] = []
    if f.topics:
        terms.append(("labels", f"task = 'topic' AND label IN ({marks(f.topics)})",
                      list(f.topics)))
    if f.sentiments:
        terms.append(("labels", f"task = 'sentiment' AND label IN ({marks(f.sentiments)})",
                      list(f.sentiments)))
    if f.places:
        terms.append(("labels", f"task = 'place' AND label IN ({marks(f.places)})",
                      list(f.places)))
    if f.sources:
        terms.append(("post_matches", f"source IN ({marks(f.sources)})", list(f.sources)))
    return terms


@dataclass(frozen=True)
class Plan:
    """How to walk the posts: ``drive`` is the label/source term walked as a
    set (-1: the date range, None: let SQLite choose); the terms in
    ``build`` are tested against a set built once, the rest by a probe per
    candidate post."""

    drive: int | None = None
    build: frozenset[int] = frozenset()
    fts_build: bool = False  # a common search: build its match set, walk the rest


def where_clause(f: PostFilter, plan: Plan = Plan(),
                 dialect: Dialect = "sqlite") -> tuple[str, list[Any]]:
    """The WHERE clause for ``f`` written as ``plan`` says, on ``dialect``.
    On PostgreSQL a malformed ``f.match`` raises ``SearchSyntaxError`` here."""
    clauses: list[str] = []
    params: list[Any] = []
    if f.since is not None:
        clauses.append("p.created_at >= ?")
        params.append(f.since)
    if f.until is not None:
        clauses.append("p.created_at < ?")
        params.append(f.until)
    if f.platforms:
        clauses.append(f"p.platform IN ({marks(f.platforms)})")
        params += f.platforms
    for number, (table, condition, values) in enumerate(label_terms(f)):
        if plan.drive is None or number == plan.drive:
            clauses.append(f"p.id IN (SELECT post_id FROM {table} WHERE {condition})")
        elif number in plan.build:
            clauses.append(f"+p.id IN (SELECT post_id FROM {table} WHERE {condition})")
        else:
            clauses.append(f"EXISTS (SELECT 1 FROM {table} WHERE post_id = p.id"
                           f" AND {condition})")
        params += values
    if f.match is not None and dialect == "postgresql":
        words, values = search_condition(f.match)
        clauses.append(words)
        params += values
    elif f.match is not None:
        lead = "+" if plan.fts_build else ""
        clauses.append(f"{lead}p.id IN (SELECT rowid FROM posts_fts WHERE posts_fts MATCH ?)")
        params.append(f.match)
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


_PLAN_CAP = 200_000
_WALK_RATIO = 8  # walking n entries of the created_at index costs about n/8 post look-ups
_BUILD_RATIO = 4  # building a set of n ids costs about n/4 probes
_DENSE_FTS = 20_000  # a search matching this many posts is walked in date order


class Planner:
    """Plans for the read queries on one connection. A plan only changes
    speed, never results, so plans are cached (per connection, so a page
    that wraps the same connection again per request keeps them). On
    PostgreSQL every plan is the plain one: the server plans."""

    def __init__(self, sql: Sql) -> None:
        self.sql = sql

    def plan(self, f: PostFilter) -> Plan:
        if not isinstance(self.sql, SqliteSql):
            return Plan()
        return _plan(self.sql.database.conn, f)

    @staticmethod
    def forget() -> None:
        """Drop every cached plan (a benchmark measures planning too)."""
        _plan.cache_clear()


@functools.lru_cache(maxsize=512)
def _plan(conn: sqlite3.Connection, f: PostFilter) -> Plan:
    """Choose what to walk: the date range (through the created_at index)
    unless a label/source set is much smaller; sets up to a few times the
    walk are built once, larger ones probed per candidate. With a full-text
    term, the match set or the date range leads and labels are probed.
    Sizes are counted on indexes and stopped at a cap. A plan only changes
    speed, never results, so it is cached."""
    if f.match is not None:
        found = _count_upto(conn, "SELECT rowid FROM posts_fts WHERE posts_fts MATCH ?",
                            [f.match], _DENSE_FTS)
        if found < _DENSE_FTS:
            return Plan(drive=-1)  # a selective search leads; labels are probed
        rest = _plan(conn, replace(f, match=None))
        return Plan(rest.drive, rest.build, fts_build=True)
    terms = label_terms(f)
    has_range = f.since is not None or f.until is not None
    if not terms or (len(terms) == 1 and not has_range):
        return Plan()
    cap = _PLAN_CAP
    in_range = 0
    if has_range:
        where, params = where_clause(PostFilter(since=f.since, until=f.until))
        in_range = _count_upto(conn, f"SELECT 1 FROM posts p{where}", params, _PLAN_CAP)
        cap = min(_PLAN_CAP, _WALK_RATIO * in_range + 1)
    sizes = {number: _count_upto(conn, f"SELECT 1 FROM {table} WHERE {condition}", values, cap)
             for number, (table, condition, values) in enumerate(terms)}
    smallest = min(sizes, key=lambda n: (sizes[n], n))
    if has_range and in_range <= _WALK_RATIO * sizes[smallest]:
        drive, walked = -1, in_range
    else:
        drive, walked = smallest, sizes[smallest]
    build = frozenset(n for n, size in sizes.items()
                      if n != drive and size < cap and size <= _BUILD_RATIO * walked)
    return Plan(drive, build)


def _count_upto(conn: sqlite3.Connection, select: str, params: list[Any], cap: int) -> int:
    row = conn.execute(f"SELECT count(*) FROM ({select} LIMIT ?)", [*params, cap]).fetchone()
    return int(row[0])

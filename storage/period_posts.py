# ruff: noqa: S608 - SQL here is joined from constant fragments; every value is a ? parameter
"""The reads of one report period the rollups do not hold, answered from
the posts without copying the period (``storage.report_window`` copies
every post of it into temporary tables, 17 s for a 1,000,000-post week).

Each read starts from the labels index ``(task, label, post_id)`` of the
labels it is about (a flag's topic, the gazetteer's places), bounded to the
period's id range, and keeps the posts whose ``created_at`` falls in the
period and that are residents' (no handle): the same posts, counted the
same way, as ``ReportWindow``'s reads of the same names. Posts are stored
roughly in the order they were written, so when the id range is dense the
few ids in it that are not the period's residents' posts (written outside
it, or the body's own) are listed once, in one pass over the range, and the
reads that need no author stay on the labels index; otherwise each label's
post is looked up. Author pseudonyms never leave this module: they are only
counted, or used to pick at most one post per author.

Runs on both backends (``storage.backend``). The texts differ in three
places, each a dialect's spelling of the same thing: SQLite's unary ``+``
that keeps its planner off the ``created_at`` index (``Sql.no_index``), the
JSON lists read as rows (``json_each``; ``jsonb_array_elements_text`` on
PostgreSQL), and counting the rows where a comparison holds
(``Sql.count_if``).
"""

from __future__ import annotations

import json
from collections.abc import Collection
from typing import Any

from storage.backend import Sql
from storage.records import SENTIMENTS
from storage.report_queries import Bounds, PostRow, post_rows

_SPREAD = "((t.post_id * 2654435761) % 4294967296)"  # as ReportWindow: a fixed shuffle
_CANDIDATES = 200  # as ReportWindow: top posts considered before keeping one per author
# the labels of one task in the period: the labels index, then each post by its id;
# CROSS JOIN keeps that order (never a walk of the period's posts by time)
_IN_PERIOD = (" FROM labels t {join} posts p ON p.id = t.post_id"
              " WHERE t.task = ? AND t.label = ? AND t.post_id BETWEEN ? AND ?"
              " AND {created} >= ? AND {created} < ? AND {handle} IS NULL")
# the same labels, on the index alone: the range's ids that are not the period's
# residents' posts are left out by list (a JSON list of ids: one parameter)
_IN_RANGE = (" FROM labels t WHERE t.task = ? AND t.label = ? AND t.post_id BETWEEN ? AND ?"
             " AND t.post_id NOT IN ({ids})")
_JSON_IDS = {"sqlite": "SELECT value FROM json_each(?)",
             "postgresql": "SELECT value::bigint FROM jsonb_array_elements_text(?::jsonb)"
                           " AS j (value)"}
DENSE = 4  # as ReportWindow: list the outsiders when the range holds <= 4 ids per post
OUTSIDE_MAX = 100_000  # outsiders listed at most; beyond, each label's post is looked up
# a matched term in a topic label's evidence (a JSON list as storage writes it;
# SQLite also passes over one that is not valid JSON)
TERM = {"sqlite": (" AND EXISTS (SELECT 1 FROM json_each(CASE WHEN json_valid({e})"
                   " THEN {e} END) j WHERE lower(j.value) = ?)"),
        "postgresql": (" AND EXISTS (SELECT 1 FROM jsonb_array_elements_text(CASE WHEN"
                       " jsonb_typeof({e}::jsonb) = 'array' THEN {e}::jsonb END) AS j (value)"
                       " WHERE lower(j.value) = ?)")}
# a post's sentiment label, the first in label order (the one ReportWindow keeps)
_SENT = ("(SELECT s.label FROM labels s WHERE s.post_id = t.post_id AND s.task = 'sentiment'"
         " ORDER BY s.label LIMIT 1)")


class PeriodPosts:
    """Reads of the posts created in ``[start, end)``, residents' only."""

    def __init__(self, db: Sql, bounds: Bounds) -> None:
        self.db = db
        self.bounds = bounds
        self._in_period = _IN_PERIOD.format(join=db.join_in_order(),
                                            created=db.no_index("p.created_at"),
                                            handle=db.no_index("p.author_handle"))
        self._in_range = _IN_RANGE.format(ids=_JSON_IDS[db.dialect])
        self._term = TERM[db.dialect].format(e="t.evidence")
        self._range: tuple[int, int] | None = None
        self._posts = 0  # posts created in the period, with the body's own
        self._outside: str | None = None
        self._looked = False  # whether _outside was looked for
        self._ids: dict[tuple[str, str | None], set[int]] = {}

    def _rows(self, sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
        return [tuple(r) for r in self.db.execute(sql, params).fetchall()]

    def id_range(self) -> tuple[int, int]:
        """The smallest and largest id of the period's posts (read once)."""
        if self._range is None:
            low, high, n = self.db.execute(
                "SELECT min(id), max(id), count(*) FROM posts"
                " WHERE created_at >= ? AND created_at < ?", list(self.bounds)).fetchone()
            self._range = (0, -1) if low is None else (int(low), int(high))
            self._posts = int(n)
        return self._range

    def outside(self) -> str | None:
        """The ids in the id range that are not the period's residents' posts
        (a JSON list), or None when the range is not dense or holds more than
        ``OUTSIDE_MAX`` of them."""
        if not self._looked:
            low, high = self.id_range()
            self._looked = True
            if high - low + 1 <= DENSE * self._posts:
                ids = [int(r[0]) for r in self.db.execute(
                    "SELECT id FROM posts WHERE id BETWEEN ? AND ? AND NOT (created_at >= ?"
                    " AND created_at < ? AND author_handle IS NULL) LIMIT ?",
                    [low, high, *self.bounds, OUTSIDE_MAX + 1])]
                if len(ids) <= OUTSIDE_MAX:
                    self._outside = json.dumps(ids)
        return self._outside

    def _cell(self, task: str, label: str, *, author: bool = False) -> tuple[str, list[Any]]:
        """The FROM and WHERE of one label's posts in the period (``t``); the
        post as ``p`` when ``author`` is asked for."""
        outside = None if author else self.outside()
        if outside is None:
            return self._in_period, [task, label, *self.id_range(), *self.bounds]
        return self._in_range, [task, label, *self.id_range(), outside]

    def topic_ids(self, topic: str, term: str | None = None) -> set[int]:
        """The ids of ``topic``'s posts (with matched ``term``)."""
        key = (topic, None if term is None else term.lower())
        if key not in self._ids:
            sql, params = self._cell("topic", topic)
            if term is not None:
                sql += self._term
                params.append(term.lower())
            self._ids[key] = {int(r[0]) for r in self._rows(f"SELECT t.post_id{sql}", params)}
        return self._ids[key]

    def topic_overlap(self, topic: str, term: str | None = None) -> dict[str, int]:
        """Posts of ``topic`` (with matched ``term``) that carry each other
        topic too: other topic -> posts."""
        sql, params = self._cell("topic", topic)
        if term is not None:
            sql += self._term
            params.append(term.lower())
        return {str(t): int(n) for t, n in self._rows(
            "SELECT l.label, count(*) FROM (SELECT t.post_id AS id, t.label AS topic"
            f"{sql}) c {self.db.join_in_order()} labels l ON l.post_id = c.id"
            " AND l.task = 'topic'"
            " AND l.label <> c.topic GROUP BY l.label", params)}

    def places(self) -> list[tuple[str, int, int, int]]:
        """(place, posts, negative posts, posts with a sentiment label), from
        the gazetteer's ``place`` labels."""
        sql, params = self._places()
        named = ", ".join("?" for _ in SENTIMENTS)
        return [(str(p), int(n), int(neg or 0), int(cls or 0)) for p, n, neg, cls in self._rows(
            f"SELECT place, count(*), {self.db.count_if('sent = ?')},"
            f" {self.db.count_if(f'sent IN ({named})')} FROM ("
            f"SELECT t.label AS place, {_SENT} AS sent{sql}) c GROUP BY place",
            [SENTIMENTS[0], *SENTIMENTS, *params])]

    def place_topics(self) -> dict[str, dict[str, int]]:
        """Per place: posts per topic."""
        sql, params = self._places()
        out: dict[str, dict[str, int]] = {}
        for place, topic, n in self._rows(
                "SELECT c.place, tl.label, count(*) FROM (SELECT t.post_id AS id,"
                f" t.label AS place{sql}) c {self.db.join_in_order()} labels tl"
                " ON tl.post_id = c.id"
                " AND tl.task = 'topic' GROUP BY 1, 2", params):
            out.setdefault(str(place), {})[str(topic)] = int(n)
        return out

    def _places(self) -> tuple[str, list[Any]]:
        """Every place label's post in the period, as ``_cell`` for one label."""
        sql, params = self._cell("place", "")
        return sql.replace(" AND t.label = ?", ""), [params[0], *params[2:]]

    def has_place_authors(self, n: int, place: str, *, topic: str | None = None,
                          sentiment: int | None = None) -> bool | None:
        """Whether ``place``'s posts (of ``topic``, with sentiment code
        ``sentiment``) come from at least ``n`` distinct authors; None for a
        sentiment code that is not a label (not looked at, pending)."""
        sql, params = self._cell("place", place, author=True)
        if topic is not None:
            sql += (" AND EXISTS (SELECT 1 FROM labels x WHERE x.post_id = p.id"
                    " AND x.task = 'topic' AND x.label = ?)")
            params.append(topic)
        if sentiment is not None:
            if not 0 <= sentiment < len(SENTIMENTS):
                return None
            sql += f" AND {_SENT} = ?"
            params.append(SENTIMENTS[sentiment])
        row = self._rows(  # the distinct authors, up to n (no author is read out)
            f"SELECT count(*) FROM (SELECT DISTINCT p.author_key{sql} LIMIT ?) a",
            [*params, n])
        return int(row[0][0]) >= n

    def sample_also(self, topic: str, term: str | None, also: str, limit: int,
                    exclude: Collection[int]) -> list[PostRow]:
        """As ``ReportWindow.sample_posts(topic=, term=, also=, order="evidence")``:
        up to ``limit`` of ``topic``'s posts that carry topic ``also`` too and
        are not in ``exclude``, one per author among the first 200, most
        matched terms first, then in the fixed shuffle."""
        sql, params = self._cell("topic", topic)  # the author of the candidates only
        if term is not None:
            sql += self._term
            params.append(term.lower())
        sql += (" AND EXISTS (SELECT 1 FROM labels x WHERE x.post_id = t.post_id"
                " AND x.task = 'topic' AND x.label = ?)")
        params.append(also)
        if exclude:
            sql += f" AND t.post_id NOT IN ({', '.join('?' for _ in exclude)})"
            params += list(exclude)
        evidence = "COALESCE(t.evidence, '[]')"
        candidates = (f"SELECT t.post_id AS id, length({evidence}) - length(replace({evidence},"
                      f" ',', '')) AS k, {_SPREAD} AS h{sql} ORDER BY k DESC, h LIMIT ?")
        ids = [int(r[0]) for r in self._rows(
            "SELECT id FROM (SELECT c.id AS id, c.k AS k, c.h AS h, ROW_NUMBER() OVER ("
            "PARTITION BY COALESCE(p.author_key, 'post:' || p.id)"
            f" ORDER BY c.k DESC, c.h, c.id) AS rn FROM ({candidates}) c"
            " JOIN posts p ON p.id = c.id) r WHERE rn = 1 ORDER BY k DESC, h, id LIMIT ?",
            [*params, _CANDIDATES, limit])]
        return post_rows(self.db, ids)

# ruff: noqa: S608 - SQL here is joined from constant fragments; every value is a ? parameter
"""The report's weeks, read once into temporary tables.

One pass over the ``created_at`` index copies what the report aggregates
(no text) of every post in the report's weeks into ``temp.rp`` with its
week number, sentiment and whether each classifier has looked at it, and
the topic labels of those posts into ``temp.rt``. Every aggregate then
scans these small tables instead of going back to ``posts`` a dozen
times. Author pseudonyms never leave this module: they are only counted,
or used to pick at most one post per author.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlite_utils import Database

from storage.report_queries import Bounds, PostRow, buckets

_BUILD = (
    "DROP TABLE IF EXISTS temp.rp",
    "DROP TABLE IF EXISTS temp.rt",
    "CREATE TEMP TABLE rp (id INTEGER PRIMARY KEY, w INTEGER NOT NULL, created_at TEXT,"
    " platform TEXT, author_key TEXT, replies INTEGER, reposts INTEGER, likes INTEGER,"
    " quotes INTEGER, sentiment TEXT, s_classifier TEXT, s_version TEXT,"
    " s_looked INTEGER, t_looked INTEGER)",
)
_COLUMNS = (
    "p.id, ?, p.created_at, p.platform, p.author_key,"
    " p.replies, p.reposts, p.likes, p.quotes, s.label, s.classifier, s.version,"
    " EXISTS (SELECT 1 FROM label_state x WHERE x.post_id = p.id AND x.task = 'sentiment'),"
    " EXISTS (SELECT 1 FROM label_state x WHERE x.post_id = p.id AND x.task = 'topic')"
)
_JOIN = " LEFT JOIN labels s ON s.post_id = p.id AND s.task = 'sentiment'"
# Posts are stored roughly in the order they were written, so a period's ids
# usually form a dense range: reading that range in id order is sequential,
# where following the created_at index jumps about the table row by row.
_BY_ID = (f"INSERT OR IGNORE INTO rp SELECT {_COLUMNS} FROM posts p{_JOIN}"
          " WHERE p.id BETWEEN ? AND ? AND +p.created_at >= ? AND +p.created_at < ?")
_BY_TIME = (f"INSERT OR IGNORE INTO rp SELECT {_COLUMNS} FROM posts p{_JOIN}"
            " WHERE p.created_at >= ? AND p.created_at < ?")
_SPREAD = "(rp.id * 2654435761) % 4294967296"  # Knuth's multiplicative hash
_DENSE = 4  # use the id range when it holds at most this many rows per post of the period
_TOPICS = (
    "CREATE TEMP TABLE rt AS SELECT rp.id AS id, rp.w AS w, t.label AS topic,"
    " CASE WHEN json_valid(t.evidence) THEN t.evidence ELSE '[]' END AS evidence,"
    " t.classifier AS classifier, t.version AS version"
    " FROM rp JOIN labels t ON t.post_id = rp.id AND t.task = 'topic'",
    "CREATE INDEX temp.rt_topic ON rt (topic, w)",
    "CREATE INDEX temp.rt_id ON rt (id)",
    "CREATE INDEX temp.rp_w ON rp (w, created_at)",
)


class ReportWindow:
    """Aggregates over weeks ``0 .. len(weeks) - 1`` (the last is the report week)."""

    def __init__(self, db: Database, weeks: Sequence[Bounds]) -> None:
        self.db = db
        self.weeks = len(weeks)
        self.db.execute("PRAGMA temp_store = MEMORY")
        for sql in _BUILD:
            self.db.execute(sql)
        for w, (start, end) in enumerate(weeks):
            low, high, n = self.db.execute(
                "SELECT min(id), max(id), count(*) FROM posts"
                " WHERE created_at >= ? AND created_at < ?", [start, end]).fetchone()
            if not n:
                continue
            if high - low + 1 <= _DENSE * n:
                self.db.execute(_BY_ID, [w, low, high, start, end])
            else:
                self.db.execute(_BY_TIME, [w, start, end])
        for sql in _TOPICS:
            self.db.execute(sql)

    def close(self) -> None:
        self.db.execute("DROP TABLE IF EXISTS temp.rt")
        self.db.execute("DROP TABLE IF EXISTS temp.rp")

    def __enter__(self) -> ReportWindow:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return [tuple(r) for r in self.db.execute(sql, list(params)).fetchall()]

    def totals(self) -> list[tuple[int, int]]:
        """(posts, distinct authors) per week."""
        got = {w: (int(n), int(a)) for w, n, a in self._rows(
            "SELECT w, count(*), count(DISTINCT author_key) FROM rp GROUP BY w")}
        return [got.get(w, (0, 0)) for w in range(self.weeks)]

    def sentiment(self) -> list[dict[str, int]]:
        """Per week: posts per sentiment label, ``_unclassified`` (looked at,
        no label) and ``_pending`` (not looked at)."""
        out: list[dict[str, int]] = [{} for _ in range(self.weeks)]
        for w, label, looked, n in self._rows(
                "SELECT w, sentiment, s_looked, count(*) FROM rp GROUP BY 1, 2, 3"):
            key = label if label is not None else ("_unclassified" if looked else "_pending")
            out[w][key] = out[w].get(key, 0) + int(n)
        return out

    def topic_state(self, w: int) -> tuple[int, int]:
        """(unclassified: looked at, no topic; pending: not looked at) in week ``w``."""
        row = self._rows(
            "SELECT sum(t_looked AND NOT EXISTS (SELECT 1 FROM rt WHERE rt.id = rp.id)),"
            " sum(NOT t_looked) FROM rp WHERE w = ?", [w])[0]
        return int(row[0] or 0), int(row[1] or 0)

    def topic_sentiment(self, w: int) -> list[tuple[str, str | None, bool, int]]:
        """(topic, sentiment label or None, sentiment pending?, posts) in week ``w``."""
        return [(str(t), s, not looked, int(n)) for t, s, looked, n in self._rows(
            "SELECT rt.topic, rp.sentiment, rp.s_looked, count(*) FROM rt"
            " JOIN rp ON rp.id = rt.id WHERE rt.w = ? GROUP BY 1, 2, 3", [w])]

    def topic_authors(self, w: int) -> dict[str, int]:
        return {str(t): int(n) for t, n in self._rows(
            "SELECT rt.topic, count(DISTINCT rp.author_key) FROM rt JOIN rp ON rp.id = rt.id"
            " WHERE rt.w = ? GROUP BY rt.topic", [w])}

    def topic_counts(self) -> dict[str, list[int]]:
        """Posts per topic per week."""
        out: dict[str, list[int]] = {}
        for w, topic, n in self._rows("SELECT w, topic, count(*) FROM rt GROUP BY 1, 2"):
            out.setdefault(str(topic), [0] * self.weeks)[w] = int(n)
        return out

    def term_counts(self, first: int) -> dict[tuple[str, str], list[int]]:
        """Posts per (topic, matched term) per week, weeks ``first`` onwards."""
        out: dict[tuple[str, str], list[int]] = {}
        for w, topic, term, n in self._rows(
            "SELECT rt.w, rt.topic, lower(j.value), count(DISTINCT rt.id) FROM rt,"
            " json_each(rt.evidence) j WHERE rt.w >= ? GROUP BY 1, 2, 3", [first],
        ):
            out.setdefault((str(topic), str(term)), [0] * (self.weeks - first))[w - first] = n
        return out

    def sub_totals(self, w: int, spans: Sequence[Bounds]) -> list[tuple[int, int]]:
        """(posts, distinct authors) per sub-span (e.g. day) of period ``w``."""
        cte, params = buckets(spans)
        got = {i: (int(n), int(a)) for i, n, a in self._rows(
            cte + "SELECT b.i, count(*), count(DISTINCT rp.author_key) FROM b JOIN rp"
            " ON rp.w = ? AND rp.created_at >= b.s AND rp.created_at < b.e GROUP BY b.i",
            [*params, w])}
        return [got.get(i, (0, 0)) for i in range(len(spans))]

    def platforms(self, w: int) -> list[tuple[Any, ...]]:
        """Per platform: posts, authors, then for replies, reposts, likes and
        quotes: (posts where the platform gives it, sum)."""
        return self._rows(
            "SELECT platform, count(*), count(DISTINCT author_key),"
            " count(replies), COALESCE(sum(replies), 0), count(reposts),"
            " COALESCE(sum(reposts), 0), count(likes), COALESCE(sum(likes), 0),"
            " count(quotes), COALESCE(sum(quotes), 0)"
            " FROM rp WHERE w = ? GROUP BY platform ORDER BY platform", [w])

    def classifiers_used(self, w: int) -> list[tuple[str, str, str, int]]:
        """(task, classifier, version, posts labelled) in period ``w``."""
        rows = self._rows(
            "SELECT 'sentiment', s_classifier, s_version, count(*) FROM rp"
            " WHERE w = ? AND s_classifier IS NOT NULL GROUP BY 2, 3", [w])
        rows += self._rows(
            "SELECT 'topic', classifier, version, count(DISTINCT id) FROM rt"
            " WHERE w = ? GROUP BY 2, 3", [w])
        return sorted((str(a), str(b), str(c), int(d)) for a, b, c, d in rows)

    def source_posts(self, w: int) -> list[tuple[str, int]]:
        """(source, posts of period ``w`` it matched)."""
        return [(str(a), int(b)) for a, b in self._rows(
            "SELECT m.source, count(DISTINCT rp.id) FROM rp JOIN post_matches m"
            " ON m.post_id = rp.id WHERE rp.w = ? GROUP BY m.source ORDER BY m.source", [w])]

    def sample_posts(self, w: int, *, topic: str | None = None, term: str | None = None,
                     order: str = "evidence", limit: int = 3) -> list[PostRow]:
        """Up to ``limit`` posts of period ``w``, at most one per author (so an
        author's posts are never listed together), optionally of one topic
        and matched term; ordered by how many terms matched ("evidence") or
        by engagement ("engagement"), then in a fixed pseudo-random order
        (a multiplicative hash of the id) that spreads picks over the week."""
        engagement = ("COALESCE(rp.replies, 0) + COALESCE(rp.reposts, 0)"
                      " + COALESCE(rp.likes, 0) + COALESCE(rp.quotes, 0)")
        params: list[Any] = [w]
        if topic is None:
            source, where = "rp", "rp.w = ?"
        else:
            source, where = "rt JOIN rp ON rp.id = rt.id", "rt.topic = ? AND rt.w = ?"
            params.insert(0, topic)
        if term is not None:
            if topic is None:
                raise ValueError("a term sample needs its topic")
            where += (" AND EXISTS (SELECT 1 FROM json_each(rt.evidence) j"
                      " WHERE lower(j.value) = ?)")
            params.append(term.lower())
        if order == "engagement":
            key = engagement
            where += f" AND ({engagement}) > 0"
        elif topic is not None:
            key = "json_array_length(rt.evidence)"
        else:
            key = "0"
        ids = [int(r[0]) for r in self._rows(
            f"SELECT id FROM (SELECT rp.id AS id, {key} AS k,"
            f" ROW_NUMBER() OVER (PARTITION BY COALESCE(rp.author_key, 'post:' || rp.id)"
            f" ORDER BY {key} DESC, {_SPREAD}, rp.id) AS rn"
            f" FROM {source} WHERE {where}) WHERE rn = 1"
            " ORDER BY k DESC, (id * 2654435761) % 4294967296, id LIMIT ?", [*params, limit])]
        if not ids:
            return []
        marks = ", ".join("?" for _ in ids)
        rows = {int(r[0]): PostRow(*r) for r in self._rows(
            "SELECT id, platform, created_at, url, text, title, author_handle, replies,"
            f" reposts, likes, quotes FROM posts WHERE id IN ({marks})", ids)}
        return [rows[i] for i in ids if i in rows]

# ruff: noqa: S608 - SQL here is joined from constant fragments; every value is a ? parameter
"""The report's periods, read once into temporary tables.

One pass per period copies what the report aggregates (no text) of every
post into ``temp.rp``: its period, local day, platform, author pseudonym,
engagement, a sentiment code and a topic state; the topic labels of those
posts go into ``temp.rt``. Posts are stored roughly in the order they were
written, so a period's ids usually form a dense range that is read in id
order (sequential) rather than row by row through the ``created_at`` index.
Aggregates then avoid sorting the week where they can: three GROUP BYs (by
platform, by source, and distinct authors), ``rt`` kept in topic order as it
is filled, and author checks that stop at 10 distinct authors.
Author pseudonyms never leave this module: they are only counted, or used
to pick at most one post per author.

These are residents' figures: the body's own posts (an allow-listed
official account's, the only posts that keep a handle: voice ``own`` in
``storage.conversations``) are left out of every period, so they never count
in volumes, sentiment or topic shares, trends or emerging issues; the
report's "How we engaged" section reports them (``storage.engagement``).

Runs on both backends (``storage.backend``). Per dialect: the temporary
tables' schema (SQLite's rowid and ``WITHOUT ROWID`` tables, PostgreSQL's
``BIGINT`` heap tables), the copy's conflict clause and ``instr``/``strpos``,
SQLite's unary ``+`` planner hint (``Sql.no_index``), the JSON list of
matched terms read as rows, and counting the rows where a comparison holds
(``Sql.count_if``); SQLite's texts are the ones it was tuned with.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Any

from storage.backend import Sql
from storage.period_posts import TERM
from storage.records import SENTIMENTS
from storage.report_queries import Bounds, PostRow, post_rows
from storage.rollup_facts import terms_of

UNCLASSIFIED, PENDING = 3, 4  # sentiment codes after the three labels
# topic state: 0 not looked at, 1 looked at without a topic, 2 has a topic
_DENSE = 4  # read the id range when it holds at most this many rows per post of the period
_SPREAD = "(({}.id * 2654435761) % 4294967296)"  # a fixed shuffle that spreads picks
_MAX_ID = 2**63 - 1  # SQLite's largest integer
_CANDIDATES = 200  # top posts considered before keeping one per author
_ENGAGEMENT = ("count(*)", "count(replies)", "sum(replies)", "count(reposts)", "sum(reposts)",
               "count(likes)", "sum(likes)", "count(quotes)", "sum(quotes)")

_CREATE_SQLITE = (
    "DROP TABLE IF EXISTS temp.rp",
    "DROP TABLE IF EXISTS temp.rt",
    "CREATE TEMP TABLE rp (id INTEGER PRIMARY KEY, w INTEGER NOT NULL, day INTEGER,"
    " platform TEXT, pcode INTEGER, author TEXT, replies INTEGER, reposts INTEGER,"
    " likes INTEGER, quotes INTEGER, sent INTEGER, tstate INTEGER)",
    # clustered by topic, period and matched terms: every topic aggregate,
    # author check and sample reads one key range in order, and filling it
    # costs less than filling a heap and sorting it into an index afterwards
    "CREATE TEMP TABLE rt (topic TEXT NOT NULL, w INTEGER NOT NULL, evidence TEXT NOT NULL,"
    " sent INTEGER NOT NULL, id INTEGER NOT NULL, PRIMARY KEY (topic, w, evidence, sent, id))"
    " WITHOUT ROWID",
)
_CREATE_PG = (  # post ids and engagement are BIGINT; no rowid to cluster on
    "DROP TABLE IF EXISTS pg_temp.rp",
    "DROP TABLE IF EXISTS pg_temp.rt",
    "CREATE TEMP TABLE rp (id BIGINT PRIMARY KEY, w INTEGER NOT NULL, day INTEGER,"
    " platform TEXT, pcode INTEGER, author TEXT, replies BIGINT, reposts BIGINT,"
    " likes BIGINT, quotes BIGINT, sent INTEGER, tstate INTEGER)",
    "CREATE TEMP TABLE rt (topic TEXT NOT NULL, w INTEGER NOT NULL, evidence TEXT NOT NULL,"
    " sent INTEGER NOT NULL, id BIGINT NOT NULL, PRIMARY KEY (topic, w, evidence, sent, id))",
)
_CREATE = {"sqlite": _CREATE_SQLITE, "postgresql": _CREATE_PG}
_SENT = (  # a label's code is its place in SENTIMENTS
    "CASE s.label "
    + " ".join(f"WHEN '{name}' THEN {code}" for code, name in enumerate(SENTIMENTS))
    + " ELSE CASE WHEN EXISTS (SELECT 1 FROM label_state x WHERE x.post_id = p.id"
    " AND x.task = 'sentiment') THEN 3 ELSE 4 END END"
)
_TSTATE = (
    "CASE WHEN EXISTS (SELECT 1 FROM labels x WHERE x.post_id = p.id AND x.task = 'topic')"
    " THEN 2 WHEN EXISTS (SELECT 1 FROM label_state x WHERE x.post_id = p.id"
    " AND x.task = 'topic') THEN 1 ELSE 0 END"
)
_SELECT = (
    "INSERT {ignore}INTO rp SELECT p.id, ?, {{day}}, p.platform,"
    " {position}(?, ',' || p.platform || ','), p.author_key, p.replies,"
    f" p.reposts, p.likes, p.quotes, {_SENT}, {_TSTATE} FROM posts p"
    " LEFT JOIN labels s ON s.post_id = p.id AND s.task = 'sentiment'"
    " WHERE {handle} IS NULL AND "  # residents only: never the body's own posts
)
# a post with two sentiment labels is copied once (the first row kept)
_IGNORE = {"sqlite": ("OR IGNORE ", "instr", ""),
           "postgresql": ("", "strpos", " ON CONFLICT (id) DO NOTHING")}
_BY_ID = "p.id BETWEEN ? AND ? AND {created} >= ? AND {created} < ?"
_BY_TIME = "p.created_at >= ? AND p.created_at < ?"
_TOPICS = (  # evidence is kept as written; it is parsed, and checked, per distinct value
    "INSERT INTO rt SELECT t.label, rp.w, COALESCE(t.evidence, '[]'), rp.sent, t.post_id"
    " FROM labels t JOIN rp ON rp.id = t.post_id WHERE t.task = 'topic' AND "
)


@dataclass
class WeekSummary:
    """One period's posts split by sentiment code, topic state, day and platform."""

    posts: int = 0
    sentiment: dict[int, int] = field(default_factory=dict)  # code -> posts
    topic_state: dict[int, int] = field(default_factory=dict)  # state -> posts
    days: dict[int, int] = field(default_factory=dict)  # day index -> posts
    # platform -> [posts, replies given, replies, reposts given, reposts, likes given,
    #              likes, quotes given, quotes]
    platforms: dict[str, list[int]] = field(default_factory=dict)


class ReportWindow:
    """Aggregates over periods ``0 .. len(periods) - 1`` (the last is the
    report period); ``days`` split the last period into local days.
    ``platforms`` (the platforms stored) get small integer codes, so a
    period is split by platform without sorting on text; a platform not
    among them (a comma in its name, or stored since) is kept by name."""

    def __init__(self, db: Sql, periods: Sequence[Bounds],
                 days: Sequence[Bounds] = (), platforms: Sequence[str] = ()) -> None:
        self.db = db
        ignore, position, conflict = _IGNORE[db.dialect]
        select = _SELECT.format(ignore=ignore, position=position,
                                handle=db.no_index("p.author_handle"))
        by_id = _BY_ID.format(created=db.no_index("p.created_at"))
        self._term = TERM[db.dialect].format(e="rt.evidence")
        coded = [p for p in platforms if "," not in p]
        codes = "," + ",".join(coded) + ","
        self._platform_at = {codes.index(f",{p},") + 1: p for p in coded}
        self.periods = len(periods)
        self.counts = [0] * len(periods)
        self.ranges: list[tuple[int, int]] = [(0, -1)] * len(periods)
        self._summaries: dict[tuple[int, bool], WeekSummary] = {}
        if db.dialect == "sqlite":
            self.db.execute("PRAGMA temp_store = MEMORY")
        for sql in _CREATE[db.dialect]:
            self.db.execute(sql)
        last = len(periods) - 1
        for w, (start, end) in enumerate(periods):
            low, high, n = self.db.execute(
                "SELECT min(id), max(id), count(*) FILTER (WHERE author_handle IS NULL)"
                " FROM posts WHERE created_at >= ? AND created_at < ?",
                [start, end]).fetchone()
            self.counts[w] = int(n)
            if not n:
                continue
            self.ranges[w] = (int(low), int(high))
            day, day_params = "NULL", []
            if w == last and days:
                day = "CASE " + " ".join(
                    f"WHEN p.created_at < ? THEN {k}" for k in range(len(days) - 1)
                ) + f" ELSE {len(days) - 1} END"
                day_params = [d[1] for d in days[:-1]]
            dense = high - low + 1 <= _DENSE * n
            where, params = (by_id, [low, high, start, end]) if dense else (
                _BY_TIME, [start, end])
            self.db.execute(select.format(day=day) + where + conflict,
                            [w, *day_params, codes, *params])
            # rp.w: ranges of periods overlap when posts arrive out of time order
            # (backfill, late federation), and rp already holds the earlier periods
            self.db.execute(_TOPICS + ("t.post_id BETWEEN ? AND ? AND rp.w = ?" if dense
                                       else "rp.w = ?"), [low, high, w] if dense else [w])
        self._cells: list[tuple[str, int, str, int, int]] | None = None
        self._samples: dict[tuple[Any, ...], list[PostRow]] = {}

    def close(self) -> None:
        self.db.execute(f"DROP TABLE IF EXISTS {self.db.temp('rt')}")
        self.db.execute(f"DROP TABLE IF EXISTS {self.db.temp('rp')}")

    def __enter__(self) -> ReportWindow:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return [tuple(r) for r in self.db.execute(sql, list(params)).fetchall()]

    def totals(self) -> list[int]:
        """Posts per period."""
        return list(self.counts)

    def authors(self, first: int) -> dict[int, int]:
        """Distinct authors per period, periods ``first`` onwards."""
        return {w: int(self._rows(  # one period at a time: a smaller sort each
            "SELECT count(DISTINCT author) FROM rp WHERE rp.id BETWEEN ? AND ? AND rp.w = ?",
            [*self.ranges[w], w])[0][0]) for w in range(first, self.periods)}

    def summary(self, w: int, *, platforms: bool = False) -> WeekSummary:
        """Period ``w`` split by sentiment code, topic state and day (one
        unsorted pass over its id range), and by platform when asked (one
        more pass, sorted by platform code, for posts and engagement only:
        a sort carrying every split cost more than the two passes)."""
        key = (w, platforms)
        if key in self._summaries:
            return self._summaries[key]
        if platforms:
            base = self.summary(w)
            out = WeekSummary(base.posts, base.sentiment, base.topic_state, base.days)
            if out.posts:
                for pcode, platform, *values in self._rows(
                        f"SELECT pcode, CASE WHEN pcode = 0 THEN platform END,"
                        f" {', '.join(_ENGAGEMENT)} FROM rp WHERE rp.id BETWEEN ? AND ?"
                        " AND rp.w = ? GROUP BY pcode, 2", [*self.ranges[w], w]):
                    name = str(platform) if pcode == 0 else self._platform_at.get(int(pcode), "")
                    acc = out.platforms.setdefault(name, [0] * len(_ENGAGEMENT))
                    for k, value in enumerate(values):
                        acc[k] += int(value or 0)
        else:
            out = WeekSummary(posts=self.counts[w])
            if out.posts:
                count = self.db.count_if
                cols = ([count(f"sent = {k}") for k in range(5)]
                        + [count(f"tstate = {k}") for k in range(3)]
                        + [count(f"day = {k}") for k in range(7)])
                nums = [int(v or 0) for v in self._rows(
                    f"SELECT {', '.join(cols)} FROM rp WHERE rp.id BETWEEN ? AND ?"
                    " AND rp.w = ?", [*self.ranges[w], w])[0]]
                for target, offset, size in ((out.sentiment, 0, 5), (out.topic_state, 5, 3),
                                             (out.days, 8, 7)):
                    target.update({k: nums[offset + k] for k in range(size)
                                   if nums[offset + k]})
        self._summaries[key] = out
        return out

    def topic_cells(self) -> list[tuple[str, int, str, int, int]]:
        """(topic, period, evidence JSON, sentiment code, posts), read once
        in key order (no sort)."""
        if self._cells is None:
            self._cells = [(str(t), int(w), str(e), int(s), int(n)) for t, w, e, s, n in self._rows(
                "SELECT topic, w, evidence, sent, count(*) FROM rt"
                " GROUP BY topic, w, evidence, sent")]
        return self._cells

    def topic_counts(self) -> dict[str, list[int]]:
        """Posts per topic per period."""
        out: dict[str, list[int]] = {}
        for topic, w, _, _, n in self.topic_cells():
            out.setdefault(topic, [0] * self.periods)[w] += n
        return out

    def topic_sentiment(self, w: int) -> dict[str, dict[int, int]]:
        """Per topic in period ``w``: posts per sentiment code."""
        out: dict[str, dict[int, int]] = {}
        for topic, period, _, sent, n in self.topic_cells():
            if period == w:
                codes = out.setdefault(topic, {})
                codes[sent] = codes.get(sent, 0) + n
        return out

    def term_counts(self, first: int) -> dict[tuple[str, str], list[int]]:
        """Posts per (topic, matched term) per period, periods ``first``
        onwards; each distinct evidence list is parsed once."""
        out: dict[tuple[str, str], list[int]] = {}
        parsed: dict[str, frozenset[str]] = {}
        for topic, w, evidence, _, n in self.topic_cells():
            if w < first:
                continue
            if evidence not in parsed:
                parsed[evidence] = terms_of(evidence)
            for term in parsed[evidence]:
                out.setdefault((topic, term), [0] * (self.periods - first))[w - first] += n
        return out

    def has_authors(self, w: int, n: int = 10, *, topic: str | None = None,
                    sentiment: int | None = None, term: str | None = None,
                    platform: str | None = None, day: int | None = None,
                    place: str | None = None) -> bool:
        """Whether the posts of period ``w`` in one cell come from at least
        ``n`` distinct authors (stops reading once it has found them)."""
        where, params = self._cell(w, topic, sentiment, term, platform, day, place)
        if topic is None:  # read only the period's id range of rp
            where += " AND rp.id BETWEEN ? AND ?"
            params += list(self.ranges[w])
        source = "rt JOIN rp ON rp.id = rt.id" if topic is not None else "rp"
        row = self._rows(f"SELECT count(*) FROM (SELECT DISTINCT rp.author FROM {source}"
                         f" WHERE {where} LIMIT ?) a", [*params, n])
        return int(row[0][0]) >= n

    def _cell(self, w: int, topic: str | None, sentiment: int | None, term: str | None,
              platform: str | None, day: int | None,
              place: str | None = None) -> tuple[str, list[Any]]:
        if topic is not None:
            where, params = ["rt.topic = ?", "rt.w = ?"], [topic, w]
        else:
            where, params = ["rp.w = ?"], [w]
        if sentiment is not None:
            where.append("rt.sent = ?" if topic is not None else "rp.sent = ?")
            params.append(sentiment)
        if term is not None:
            if topic is None:
                raise ValueError("a term needs its topic")
            where.append(self._term.removeprefix(" AND "))
            params.append(term.lower())
        if platform is not None:
            where.append("rp.platform = ?")
            params.append(platform)
        if day is not None:
            where.append("rp.day = ?")
            params.append(day)
        if place is not None:
            where.append("EXISTS (SELECT 1 FROM labels x WHERE x.post_id = rp.id"
                         " AND x.task = 'place' AND x.label = ?)")
            params.append(place)
        return " AND ".join(where), params

    def topic_overlap(self, w: int, topic: str, term: str | None = None) -> dict[str, int]:
        """Posts of ``topic`` (with matched ``term``) in period ``w`` that
        carry each other topic too: other topic -> posts."""
        where, params = self._cell(w, topic, None, term, None, None)
        return {str(t): int(n) for t, n in self._rows(
            "SELECT l.label, count(*) FROM rt JOIN labels l ON l.post_id = rt.id"
            f" AND l.task = 'topic' AND l.label <> rt.topic WHERE {where}"
            " GROUP BY l.label", params)}

    def topic_ids(self, w: int, topic: str, term: str | None = None) -> set[int]:
        """The ids of ``topic``'s posts (with matched ``term``) in period ``w``:
        flags are grouped into stories by the posts they share."""
        where, params = self._cell(w, topic, None, term, None, None)
        return {int(r[0]) for r in self._rows(f"SELECT rt.id FROM rt WHERE {where}", params)}

    def places(self, w: int) -> list[tuple[str, int, int, int]]:
        """(place, posts, negative posts, posts with a sentiment label) of
        period ``w``, from the gazetteer's ``place`` labels."""
        return [(str(p), int(n), int(neg or 0), int(cls or 0)) for p, n, neg, cls in self._rows(
            f"SELECT l.label, count(*), {self.db.count_if('rp.sent = 0')},"
            f" {self.db.count_if('rp.sent < 3')} FROM rp"
            " JOIN labels l ON l.post_id = rp.id AND l.task = 'place'"
            " WHERE rp.id BETWEEN ? AND ? AND rp.w = ? GROUP BY l.label",
            [*self.ranges[w], w])]

    def place_topics(self, w: int) -> dict[str, dict[str, int]]:
        """Per place in period ``w``: posts per topic."""
        out: dict[str, dict[str, int]] = {}
        for place, topic, n in self._rows(
                "SELECT pl.label, tl.label, count(*) FROM rp"
                " JOIN labels pl ON pl.post_id = rp.id AND pl.task = 'place'"
                " JOIN labels tl ON tl.post_id = rp.id AND tl.task = 'topic'"
                " WHERE rp.id BETWEEN ? AND ? AND rp.w = ? GROUP BY 1, 2",
                [*self.ranges[w], w]):
            out.setdefault(str(place), {})[str(topic)] = int(n)
        return out

    def classifiers_used(self, w: int) -> list[tuple[str, str, str, int]]:
        """(task, classifier, version, posts of period ``w`` it looked at).
        The versions ever recorded are stepped through on the label_state
        index (a handful of seeks); each is checked against the period, and
        counted there only when a task has more than one."""
        summary = self.summary(w)
        looked = {"sentiment": summary.posts - summary.sentiment.get(PENDING, 0),
                  "topic": summary.posts - summary.topic_state.get(0, 0)}
        in_period = ("FROM label_state x JOIN rp ON rp.id = x.post_id WHERE x.task = ?"
                     " AND x.classifier = ? AND x.version = ? AND x.post_id BETWEEN ? AND ?"
                     " AND rp.w = ?")
        found: dict[str, list[tuple[str, str]]] = {}
        for task, classifier, version in self._recorded_versions():
            if task in looked and self._rows(f"SELECT EXISTS (SELECT 1 {in_period})",
                                             [task, classifier, version, *self.ranges[w], w]
                                             )[0][0]:
                found.setdefault(task, []).append((classifier, version))
        out = []
        for task, groups in found.items():
            for classifier, version in groups:
                n = looked[task] if len(groups) == 1 else int(self._rows(
                    f"SELECT count(*) {in_period}",
                    [task, classifier, version, *self.ranges[w], w])[0][0])
                out.append((task, classifier, version, n))
        return sorted(out)

    def _recorded_versions(self) -> list[tuple[str, str, str]]:
        """Every (task, classifier, version) in label_state, in index order."""
        out: list[tuple[str, str, str]] = []
        row = self._rows("SELECT task, classifier, version FROM label_state"
                         " ORDER BY task, classifier, version LIMIT 1")
        while row:  # past every post of the last one: a seek, not a scan of its posts
            out.append((str(row[0][0]), str(row[0][1]), str(row[0][2])))
            row = self._rows("SELECT task, classifier, version FROM label_state"
                             " WHERE (task, classifier, version, post_id) > (?, ?, ?, ?)"
                             " ORDER BY task, classifier, version LIMIT 1",
                             [*out[-1], _MAX_ID])
        return out

    def source_posts(self, w: int) -> list[tuple[str, int]]:
        """(source, posts of period ``w`` it matched): one pass over the
        period's matches, whatever the number of sources."""
        return [(str(source), int(n)) for source, n in self._rows(
            "SELECT source, count(*) FROM (SELECT m.source AS source FROM post_matches m"
            " JOIN rp ON rp.id = m.post_id WHERE m.post_id BETWEEN ? AND ? AND rp.w = ?"
            " GROUP BY m.post_id, m.source) s GROUP BY source ORDER BY source",
            [*self.ranges[w], w])]

    def sample_posts(self, w: int, *, topic: str | None = None, term: str | None = None,
                     order: str = "evidence", limit: int = 3, also: str | None = None,
                     exclude: Collection[int] = ()) -> list[PostRow]:
        """Up to ``limit`` posts of period ``w``, at most one per author (so an
        author's posts are never listed together), optionally of one topic
        and matched term; ordered by how many terms matched ("evidence") or
        by engagement ("engagement"), then in a fixed pseudo-random order
        that spreads picks over the week. Authors are de-duplicated among the
        top 200 candidates. ``also``: only posts that carry that topic too;
        ``exclude``: ids already quoted elsewhere. Remembered per arguments."""
        key = (w, topic, term, order, limit, also, tuple(sorted(exclude)))
        if key not in self._samples:
            self._samples[key] = self._sample(w, topic, term, order, limit, also, key[-1])
        return self._samples[key]

    def _sample(self, w: int, topic: str | None, term: str | None, order: str,
                limit: int, also: str | None, exclude: tuple[int, ...]) -> list[PostRow]:
        engagement = ("COALESCE(rp.replies, 0) + COALESCE(rp.reposts, 0)"
                      " + COALESCE(rp.likes, 0) + COALESCE(rp.quotes, 0)")
        where, params = self._cell(w, topic, None, term, None, None)
        alias = "rt" if topic is not None else "rp"
        if also is not None:
            where += (f" AND EXISTS (SELECT 1 FROM labels x WHERE x.post_id = {alias}.id"
                      " AND x.task = 'topic' AND x.label = ?)")
            params.append(also)
        if exclude:
            where += f" AND {alias}.id NOT IN ({', '.join('?' for _ in exclude)})"
            params += list(exclude)
        source = "rt JOIN rp ON rp.id = rt.id" if topic is not None else "rp"
        if order == "engagement":
            key = engagement
            where += f" AND ({engagement}) > 0"
        elif topic is not None:  # number of matched terms: commas in the JSON list, no parse
            key = "length(rt.evidence) - length(replace(rt.evidence, ',', ''))"
        else:
            key = "0"
        if topic is not None and order != "engagement":
            # candidates from rt alone; the author is looked up for those only
            candidates = (f"SELECT c.id AS id, c.k AS k, c.h AS h,"
                          " COALESCE(rp.author, 'post:' || c.id) AS a FROM ("
                          f"SELECT rt.id AS id, {key} AS k, {_SPREAD.format('rt')} AS h"
                          f" FROM rt WHERE {where} ORDER BY k DESC, h LIMIT ?) c"
                          " JOIN rp ON rp.id = c.id")
        else:
            candidates = (f"SELECT rp.id AS id, {key} AS k, {_SPREAD.format('rp')} AS h,"
                          " COALESCE(rp.author, 'post:' || rp.id) AS a"
                          f" FROM {source} WHERE {where} ORDER BY k DESC, h LIMIT ?")
        ids = [int(r[0]) for r in self._rows(
            "SELECT id FROM (SELECT id, k, h, ROW_NUMBER() OVER (PARTITION BY a"
            f" ORDER BY k DESC, h, id) AS rn FROM ({candidates}) c) r"
            " WHERE rn = 1 ORDER BY k DESC, h, id LIMIT ?",
            [*params, _CANDIDATES, limit])]
        return post_rows(self.db, ids)


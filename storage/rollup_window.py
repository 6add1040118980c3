"""The report's periods read from the rollups (``storage.rollups``): the
same reads as ``storage.report_window.ReportWindow``, which copies the
periods' posts into temporary tables, at a cost that does not grow with the
week. Periods are whole local days in the rollups' time zone.

Raw posts are read only for examples (quotes), for the rare question
the rollups cannot answer exactly (a cell no author sample covers, or an
example list too short to be sure of its order), and for the reads the
rollups do not hold. Those the rollups do not hold (the places table and
its author checks, the posts a story's flags share and their overlap with
other topics, examples that must also carry a second topic) are read from
the labels of the flag's topic or of the places (``storage.period_posts``),
not from a copy of the period. The rest go to a ``ReportWindow`` over the
same periods (from the earliest one asked about to the last), made on first
need (``fallbacks`` counts them), so every answer is the one the posts give.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Sequence
from typing import Any

from storage.backend import Sql
from storage.db import in_chunks
from storage.period_posts import PeriodPosts
from storage.records import SENTIMENTS
from storage.report_queries import Bounds, PostRow, post_rows
from storage.report_window import ReportWindow, WeekSummary
from storage.rollup_delta import SEP
from storage.rollup_facts import NO_TOPIC, PENDING, PUBLIC, TOPIC, UNCLASSIFIED
from storage.rollup_rows import Day, WindowRows, day_range
from storage.rollup_sketch import SAMPLE_SIZE, AuthorSample, ExampleList, at_least

log = logging.getLogger(__name__)
SENT_CODES = {name: code for code, name in enumerate((*SENTIMENTS, UNCLASSIFIED, PENDING))}
STATE_CODES = {PENDING: 0, NO_TOPIC: 1, TOPIC: 2}
_CANDIDATES = 200  # as ReportWindow: top posts considered before keeping one per author


class RollupWindow:
    """Aggregates over periods ``0 .. len(periods) - 1`` (each a span of
    local days, first and last included); ``days`` are the local days of
    the last period."""

    def __init__(self, db: Sql, rows: WindowRows, periods: Sequence[tuple[Day, Day]],
                 days: Sequence[Day], fallback: Callable[[int], ReportWindow],
                 bounds: Sequence[Bounds]) -> None:
        """``bounds``: the periods in UTC (half-open), for ``PeriodPosts``."""
        self.db = db
        self.bounds = list(bounds)
        self._posts: dict[int, PeriodPosts] = {}
        self.rows = rows
        self.spans = [day_range(a, b) for a, b in periods]
        self.periods = len(periods)
        self.days = list(days)
        self._make_fallback = fallback  # the posts of periods first .. last
        self._fallback: ReportWindow | None = None
        self._fallback_first = self.periods  # the first period it covers
        self.fallbacks = 0
        self._samples: dict[tuple[Any, ...], list[PostRow]] = {}

    def close(self) -> None:
        if self._fallback is not None:
            self._fallback.close()

    def __enter__(self) -> RollupWindow:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def raw(self, why: str, w: int, *, expected: bool = False) -> tuple[ReportWindow, int]:
        """The window over the posts, for what the rollups cannot answer about
        period ``w`` (``expected``: what they do not hold, logged at debug
        level only), and the index of ``w`` in it. It covers the periods from
        the earliest asked for to the last, so a read of the report's own
        period copies one period's posts, not all of them."""
        log.log(logging.DEBUG if expected else logging.INFO,
                "report window: %s read from the posts", why)
        self.fallbacks += 1
        if self._fallback is None or w < self._fallback_first:
            if self._fallback is not None:
                self._fallback.close()
            self._fallback, self._fallback_first = self._make_fallback(w), w
        return self._fallback, w - self._fallback_first

    def held(self, what: str, w: int) -> tuple[ReportWindow, int]:
        """The window over the posts, for a read the rollups do not hold."""
        return self.raw(what, w, expected=True)

    # -- counts ----------------------------------------------------------------
    def totals(self) -> list[int]:
        return [sum(v[0] for d in span for v in self.rows.posts[d].values())
                for span in self.spans]

    def authors(self, first: int) -> dict[int, int]:
        """Exact distinct authors per period (a whole local week each)."""
        out: dict[int, int] = {}
        for w in range(first, self.periods):
            span = self.spans[w]
            if len(span) != 7 or self.rows.days.week(span[0]) != span[0]:
                win, i = self.raw("authors of a period that is not a week", w)
                out[w] = win.authors(i)[i]
                continue
            stored = int(self.db.execute(
                "SELECT count(DISTINCT author) FROM rollup_week_authors WHERE week = ?"
                " AND voice = ? AND author != 0", [span[0], PUBLIC]).fetchone()[0])
            extra = sorted({a for a in self.rows.queued_authors("all", "", span) if a != 0})
            counted = 0  # the queued authors the week's rollup already holds
            for marks_, chunk in in_chunks(extra):
                counted += int(self.db.execute(
                    "SELECT count(*) FROM rollup_week_authors WHERE week = ? AND voice = ?"  # noqa: S608 - placeholders only
                    f" AND author IN ({marks_})", [span[0], PUBLIC, *chunk]).fetchone()[0])
            out[w] = stored + len(extra) - counted
        return out

    def summary(self, w: int, *, platforms: bool = False) -> WeekSummary:
        out = WeekSummary(posts=self.totals()[w])
        for d in self.spans[w]:
            for (_, platform, sentiment, state), values in self.rows.posts[d].items():
                code = SENT_CODES.get(sentiment, SENT_CODES[UNCLASSIFIED])
                out.sentiment[code] = out.sentiment.get(code, 0) + values[0]
                out.topic_state[STATE_CODES[state]] = (
                    out.topic_state.get(STATE_CODES[state], 0) + values[0])
                if platforms:
                    acc = out.platforms.setdefault(platform, [0] * 9)
                    for k, v in enumerate(values):
                        acc[k] += v
        if w == self.periods - 1:
            for k, d in enumerate(self.days):
                n = sum(v[0] for v in self.rows.posts[d].values())
                if n:
                    out.days[k] = n
        for target in (out.sentiment, out.topic_state):
            for key in [k for k, n in target.items() if not n]:
                del target[key]
        return out

    def topic_counts(self) -> dict[str, list[int]]:
        out: dict[str, list[int]] = {}
        for w, span in enumerate(self.spans):
            for d in span:
                for (topic, _), n in self.rows.topics[d].items():
                    out.setdefault(topic, [0] * self.periods)[w] += n
        return {t: c for t, c in out.items() if any(c)}

    def topic_sentiment(self, w: int) -> dict[str, dict[int, int]]:
        out: dict[str, dict[int, int]] = {}
        for d in self.spans[w]:
            for (topic, sentiment), n in self.rows.topics[d].items():
                if n:
                    code = SENT_CODES.get(sentiment, SENT_CODES[UNCLASSIFIED])
                    codes = out.setdefault(topic, {})
                    codes[code] = codes.get(code, 0) + n
        return out

    def term_counts(self, first: int) -> dict[tuple[str, str], list[int]]:
        out: dict[tuple[str, str], list[int]] = {}
        for w in range(first, self.periods):
            for d in self.spans[w]:
                for key, n in self.rows.terms[d].items():
                    if n:
                        out.setdefault(key, [0] * (self.periods - first))[w - first] += n
        return out

    def source_posts(self, w: int) -> list[tuple[str, int]]:
        found: dict[str, int] = {}
        for d in self.spans[w]:
            for source, n in self.rows.sources[d].items():
                found[source] = found.get(source, 0) + n
        return sorted((s, n) for s, n in found.items() if n)

    def classifiers_used(self, w: int) -> list[tuple[str, str, str, int]]:
        """(task, classifier, version, posts of period ``w`` it looked at), as
        ``ReportWindow.classifiers_used`` gives them."""
        summary = self.summary(w)
        looked = {"sentiment": summary.posts - summary.sentiment.get(SENT_CODES[PENDING], 0),
                  "topic": summary.posts - summary.topic_state.get(0, 0)}
        found: dict[tuple[str, str, str], int] = {}
        for d in self.spans[w]:
            for key, n in self.rows.classifiers[d].items():
                if key[0] in looked and n:
                    found[key] = found.get(key, 0) + n
        versions: dict[str, int] = {}
        for task, _, _ in found:
            versions[task] = versions.get(task, 0) + 1
        return sorted((task, c, v, looked[task] if versions[task] == 1 else n)
                      for (task, c, v), n in found.items())

    # -- "at least n authors" ------------------------------------------------------
    def has_authors(self, w: int, n: int = 10, *, topic: str | None = None,
                    sentiment: int | None = None, term: str | None = None,
                    platform: str | None = None, day: int | None = None,
                    place: str | None = None) -> bool:
        cell: dict[str, Any] = {"topic": topic, "sentiment": sentiment, "term": term,
                                "platform": platform, "day": day}
        if place is not None:
            found = None if term is not None or platform is not None or day is not None \
                else self.posts(w).has_place_authors(n, place, topic=topic, sentiment=sentiment)
            if found is None:
                win, i = self.held("an author check on a place", w)
                return win.has_authors(i, n, place=place, **cell)
            return found
        group = _group(topic, sentiment, term, platform, day)
        if group is None or n > SAMPLE_SIZE:
            win, i = self.raw("an author check no sample covers", w)
            return win.has_authors(i, n, **cell)
        days = [self.days[day]] if day is not None else self.spans[w]
        dim, key = group
        samples = [AuthorSample.decode(t, m) for t, m in self.db.execute(
            "SELECT truncated, members FROM rollup_author_samples WHERE dim = ? AND key = ?"
            " AND day >= ? AND day <= ? AND voice = ?", [dim, key, days[0], days[-1], PUBLIC])]
        found = at_least(samples, n, self.rows.queued_authors(dim, key, days))
        if found is None:
            win, i = self.raw("an author check a short sample cannot settle", w)
            return win.has_authors(i, n, **cell)
        return found

    # -- what the rollups do not hold: read from the labels of the same periods ---
    def posts(self, w: int) -> PeriodPosts:
        """Reads of period ``w``'s posts from their labels (no copy of the period)."""
        if w not in self._posts:
            self._posts[w] = PeriodPosts(self.db, self.bounds[w])
        return self._posts[w]

    def places(self, w: int) -> list[tuple[str, int, int, int]]:
        return self.posts(w).places()

    def place_topics(self, w: int) -> dict[str, dict[str, int]]:
        return self.posts(w).place_topics()

    def topic_overlap(self, w: int, topic: str, term: str | None = None) -> dict[str, int]:
        return self.posts(w).topic_overlap(topic, term)

    def topic_ids(self, w: int, topic: str, term: str | None = None) -> set[int]:
        return set(self.posts(w).topic_ids(topic, term))

    # -- examples ------------------------------------------------------------------
    def sample_posts(self, w: int, *, topic: str | None = None, term: str | None = None,
                     order: str = "evidence", limit: int = 3, also: str | None = None,
                     exclude: Collection[int] = ()) -> list[PostRow]:
        """As ``ReportWindow.sample_posts``: up to ``limit`` posts of period
        ``w``, one per author, from the first 200 in the example order that
        are not in ``exclude``; those that must carry topic ``also`` too are
        read from the labels of ``topic`` (``PeriodPosts.sample_also``)."""
        key = (w, topic, term, order, limit, also, tuple(sorted(exclude)))
        if key not in self._samples:
            if also is not None:
                found = None if topic is None or order != "evidence" else \
                    self.posts(w).sample_also(topic, term, also, limit, exclude)
            else:
                found = self._sample(w, topic, term, order, limit, frozenset(exclude))
            if found is None:
                win, i = self.raw("examples the example lists cannot settle" if also is None
                                  else "examples that carry a second topic", w,
                                  expected=also is not None)
                found = win.sample_posts(i, topic=topic, term=term, order=order, limit=limit,
                                         also=also, exclude=exclude)
            self._samples[key] = found
        return self._samples[key]

    def _sample(self, w: int, topic: str | None, term: str | None, order: str,
                limit: int, exclude: frozenset[int]) -> list[PostRow] | None:
        if order == "engagement" and topic is None:
            kind, key = "engaged", ""
        elif order != "engagement" and topic is not None:
            kind, key = ("topic", topic) if term is None else ("term", topic + SEP + term.lower())
        else:
            return None
        span = self.spans[w]
        lists = [ExampleList.decode(t, e) for t, e in self.db.execute(
            "SELECT truncated, entries FROM rollup_examples WHERE kind = ? AND key = ?"
            " AND day >= ? AND day <= ?", [kind, key, span[0], span[-1]])]
        entries = sorted({e for x in lists for e in x.entries} | self._queued_entries(
            kind, key, span))
        ends = [x.entries[-1] if x.entries else None for x in lists if x.truncated]
        if None in ends:
            return None
        bound = min(e for e in ends if e is not None) if ends else None
        safe = [e for e in entries if (bound is None or e <= bound) and e[2] not in exclude]
        picks = self._one_per_author([e[2] for e in safe[:_CANDIDATES]], limit)
        if len(picks) < limit and ends and len(safe) < _CANDIDATES:
            return None  # the lists end before the order is sure
        return post_rows(self.db, picks)

    def _queued_entries(self, kind: str, key: str, span: list[Day]) -> set[tuple[int, int, int]]:
        if self.rows.queued is None:
            return set()
        chosen = set(span)
        return {e for (k, name, day), added in self.rows.queued.added.items()
                if k == kind and name == key and day in chosen for e in added.values()}

    def _one_per_author(self, ids: list[int], limit: int) -> list[int]:
        """The first ``limit`` of ``ids`` (in order) keeping one post per author."""
        if not ids:
            return []
        ranked = ", ".join("(?, ?)" for _ in ids)
        return [int(r[0]) for r in self.db.execute(
            f"WITH c (rank, id) AS (VALUES {ranked}) SELECT id FROM (SELECT p.id AS id,"  # noqa: S608
            " c.rank AS rank, ROW_NUMBER() OVER"
            " (PARTITION BY COALESCE(p.author_key, 'post:' || p.id) ORDER BY c.rank) AS rn"
            " FROM c JOIN posts p ON p.id = c.id) r WHERE rn = 1 ORDER BY rank LIMIT ?",
            [v for k, i in enumerate(ids) for v in (k, i)] + [limit])]

def _group(topic: str | None, sentiment: int | None, term: str | None,
           platform: str | None, day: int | None) -> tuple[str, str] | None:
    """The author group of one report cell; None when no sample covers it."""
    named = None if sentiment is None or not 0 <= sentiment < len(SENTIMENTS) \
        else SENTIMENTS[sentiment]
    if sentiment is not None and named is None:
        return None
    cell = (topic is not None, named is not None, term is not None, platform is not None,
            day is not None)
    if cell == (False, False, False, False, False) or cell == (False,) * 4 + (True,):
        return "all", ""
    if cell == (False, False, False, True, False):
        return "platform", str(platform)
    if cell == (False, True, False, False, False):
        return "sentiment", str(named)
    if cell == (True, False, False, False, False):
        return "topic", str(topic)
    if cell == (True, True, False, False, False):
        return "topic_sentiment", f"{topic}{SEP}{named}"
    if cell == (True, False, True, False, False):
        return "term", f"{topic}{SEP}{str(term).lower()}"
    return None

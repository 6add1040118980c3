"""Counts for ``listener trends``, the query page's chart and its match
count, from the rollups: one topic (or none), any sentiments and platforms,
over whole local days in the rollups' time zone. Anything else (several
topics, a source, a place, words to match, bounds that are not local
midnights) returns None and is counted from the posts.

Reads only what the query page may read (``storage.page_access``): the
count tables, the queue and, for queued posts, their platform, time and
labels.

On both backends (docs/postgresql.md): the statements are in the subset
both run; the queue's join is ``queued_between`` (``Sql.join_in_order``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from storage.backend import Sql
from storage.query_plan import PostFilter, marks
from storage.records import SENTIMENTS
from storage.rollup_facts import LocalDays, queued_between, read_facts
from storage.rollups import Rollups

QUEUE_LIMIT = 20_000  # queued posts in the span counted from their rows at most

Week = tuple[str, str, str]  # label, UTC start, UTC end
Counts = list[int]  # posts, negative, neutral, positive


def _answerable(f: PostFilter) -> bool:
    return len(f.topics) <= 1 and not f.sources and not f.places and f.match is None


def day_counts(db: Sql, days: LocalDays, f: PostFilter, first: str, last: str
               ) -> dict[str, Counts] | None:
    """Per local day from ``first`` to ``last``: posts matching ``f`` (its
    own time bounds aside) and their sentiments; None when too many posts
    there are still queued."""
    start, end = days.bounds(first, last)
    queued = queued_between(db)
    # (the subquery's alias: PostgreSQL before 16 requires one)
    if int(db.execute(f"SELECT count(*) FROM ({queued} LIMIT ?) AS queued",  # noqa: S608
                      [start, end, QUEUE_LIMIT + 1]).fetchone()[0]) > QUEUE_LIMIT:
        return None
    table, where, params = ("rollup_topics", " AND topic = ?", list(f.topics)) if f.topics \
        else ("rollup_posts", "", [])
    if f.platforms:
        where += f" AND platform IN ({marks(f.platforms)})"
        params += list(f.platforms)
    if f.sentiments:
        where += f" AND sentiment IN ({marks(f.sentiments)})"
        params += list(f.sentiments)
    out: dict[str, Counts] = {}
    for day, sentiment, n in db.execute(
            f"SELECT day, sentiment, sum(posts) FROM {table} WHERE day >= ? AND day <= ?"  # noqa: S608
            f"{where} GROUP BY day, sentiment", [first, last, *params]):
        _count(out, str(day), str(sentiment), int(n))
    for post in read_facts(db, queued, [start, end], full=False):
        if (not f.topics or f.topics[0] in post.topics) and \
                (not f.platforms or post.platform in f.platforms) and \
                (not f.sentiments or post.sentiment in f.sentiments):
            _count(out, days.day(post.created_at), post.sentiment, 1)
    return out


def _count(out: dict[str, Counts], day: str, sentiment: str, n: int) -> None:
    counts = out.setdefault(day, [0, 0, 0, 0])
    counts[0] += n
    if sentiment in SENTIMENTS:
        counts[1 + SENTIMENTS.index(sentiment)] += n


def weekly_from_rollups(db: Sql, f: PostFilter, weeks: Sequence[Week]
                        ) -> list[tuple[str, int, int, int, int]] | None:
    """(week, posts, negative, neutral, positive) per week, or None when the
    rollups cannot answer ``f`` over ``weeks``."""
    if not _answerable(f) or not weeks:
        return None
    days = Rollups(db).days()
    mondays = [days.day_at(start) for _, start, _ in weeks]
    ends = [days.day_at(end) for _, _, end in weeks]
    for monday, end in zip(mondays, ends, strict=True):
        if monday is None or end is None or days.week(monday) != monday or \
                date.fromisoformat(end) - date.fromisoformat(monday) != timedelta(7):
            return None
    last = (date.fromisoformat(str(ends[-1])) - timedelta(1)).isoformat()
    found = day_counts(db, days, f, str(mondays[0]), last)
    if found is None:
        return None
    out = []
    for (label, _, _), monday in zip(weeks, mondays, strict=True):
        first = date.fromisoformat(str(monday))
        c = [sum(found.get((first + timedelta(k)).isoformat(), [0] * 4)[i] for k in range(7))
             for i in range(4)]
        out.append((label, c[0], c[1], c[2], c[3]))
    return out


def count_from_rollups(db: Sql, f: PostFilter) -> int | None:
    """Posts matching ``f`` between its bounds (both local midnights), or
    None when the rollups cannot say."""
    if not _answerable(f) or f.since is None or f.until is None:
        return None
    days = Rollups(db).days()
    first, after = days.day_at(f.since), days.day_at(f.until)
    if first is None or after is None or after <= first:
        return None
    last = (date.fromisoformat(after) - timedelta(1)).isoformat()
    found = day_counts(db, days, f, first, last)
    return None if found is None else sum(c[0] for c in found.values())

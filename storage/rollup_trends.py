"""Weekly counts for ``listener trends`` and the query page's chart, from
the rollups: one topic (or none), any sentiments and platforms, over whole
local weeks in the rollups' time zone. Anything else (several topics, a
source, words to match) returns None and is counted from the posts.

Reads only what the query page may read (``storage.page_access``): the
count tables, the queue and, for queued posts, their platform, time and
labels.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from sqlite_utils import Database

from storage.query_plan import PostFilter, marks
from storage.records import SENTIMENTS
from storage.rollup_facts import read_facts
from storage.rollups import Rollups

QUEUE_LIMIT = 20_000  # queued posts in the span counted from their rows at most

Week = tuple[str, str, str]  # label, UTC start, UTC end


def weekly_from_rollups(db: Database, f: PostFilter, weeks: Sequence[Week]
                        ) -> list[tuple[str, int, int, int, int]] | None:
    """(week, posts, negative, neutral, positive) per week, or None when the
    rollups cannot answer ``f`` over ``weeks``."""
    if len(f.topics) > 1 or f.sources or f.match is not None or not weeks:
        return None
    days = Rollups(db).days()
    mondays = [days.day_at(start) for _, start, _ in weeks]
    ends = [days.day_at(end) for _, _, end in weeks]
    for monday, end in zip(mondays, ends, strict=True):
        if monday is None or end is None or days.week(monday) != monday or \
                date.fromisoformat(end) - date.fromisoformat(monday) != timedelta(7):
            return None
    first, last = str(mondays[0]), (date.fromisoformat(str(ends[-1])) - timedelta(1)).isoformat()
    start, end = days.bounds(first, last)
    queued = "SELECT q.post_id FROM rollup_queue q JOIN posts p ON p.id = q.post_id" \
             " WHERE p.created_at >= ? AND p.created_at < ?"
    if int(db.execute(f"SELECT count(*) FROM ({queued} LIMIT ?)",  # noqa: S608
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
    week_of = {(date.fromisoformat(str(m)) + timedelta(k)).isoformat(): w
               for w, m in enumerate(mondays) for k in range(7)}
    counts = [[0] * 4 for _ in weeks]
    for day, sentiment, n in db.execute(
            f"SELECT day, sentiment, sum(posts) FROM {table} WHERE day >= ? AND day <= ?"  # noqa: S608
            f"{where} GROUP BY day, sentiment", [first, last, *params]):
        _count(counts, week_of.get(str(day)), str(sentiment), int(n))
    for post in read_facts(db, queued, [start, end], full=False):
        if (not f.topics or f.topics[0] in post.topics) and \
                (not f.platforms or post.platform in f.platforms) and \
                (not f.sentiments or post.sentiment in f.sentiments):
            _count(counts, week_of.get(days.day(post.created_at)), post.sentiment, 1)
    return [(label, c[0], c[1], c[2], c[3]) for (label, _, _), c in zip(weeks, counts, strict=True)]


def _count(counts: list[list[int]], week: int | None, sentiment: str, n: int) -> None:
    if week is None:
        return
    counts[week][0] += n
    if sentiment in SENTIMENTS:
        counts[week][1 + SENTIMENTS.index(sentiment)] += n

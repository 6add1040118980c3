# ruff: noqa: S608 - table and column names below are constants; every value is a ? parameter
"""``listener rollups check``: the stored rollups against a fresh count of
the posts, day by day (and week by week for distinct authors).

Counts must be equal. An author sample must list only authors of its
group, with their exact posts, the smallest hashes first; all of them
unless it is truncated (it may then list all of them too, if the authors
it dropped have gone since), and then at least ``SAMPLE_FLOOR``. An
example list must be the start of its day's order: all of it unless
truncated, and then at least ``EXAMPLES_FLOOR`` posts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from storage.backend import Sql
from storage.rollup_delta import Delta
from storage.rollup_facts import LocalDays, read_facts
from storage.rollup_sketch import EXAMPLES_FLOOR, SAMPLE_FLOOR, AuthorSample, ExampleList
from storage.rollup_write import DAY_TABLES, CountTable


@dataclass(frozen=True)
class Drift:
    table: str
    key: tuple[Any, ...]
    stored: object
    fresh: object

    def __str__(self) -> str:
        key = ", ".join(str(k).replace("\x1f", "/") for k in self.key)
        return f"{self.table} ({key}): stored {self.stored}, fresh count {self.fresh}"


def check(db: Sql, days: LocalDays, since: date | None = None) -> list[Drift]:
    """Every difference between the rollups and the posts, from ``since``'s
    week (or from the first day either holds)."""
    span = _span(db, days, since)
    if span is None:
        return []
    first, last = span
    drift: list[Drift] = []
    week = date.fromisoformat(days.week(first.isoformat()))
    while week <= last:
        authors: Counter[tuple[str, int, str]] = Counter()
        for k in range(7):
            day = (week + timedelta(k)).isoformat()
            start, end = days.bounds(day)
            fresh = Delta(days).add_all(read_facts(
                db, "SELECT id FROM posts WHERE created_at >= ? AND created_at < ?"
                " AND id NOT IN (SELECT post_id FROM rollup_queue)", [start, end]), 1)
            authors.update(fresh.week_authors)
            for table in DAY_TABLES:
                drift += _counts(db, table, day, fresh)
            drift += _samples(db, day, fresh)
            drift += _examples(db, day, fresh)
        drift += _week_authors(db, week.isoformat(), authors)
        week += timedelta(weeks=1)
    return drift


def _span(db: Sql, days: LocalDays, since: date | None) -> tuple[date, date] | None:
    posts = db.execute("SELECT min(created_at), max(created_at) FROM posts").fetchone()
    rolled = db.execute("SELECT min(day), max(day) FROM rollup_posts").fetchone()
    firsts = [d for d in (posts[0] and days.day(str(posts[0])), rolled[0]) if d]
    lasts = [d for d in (posts[1] and days.day(str(posts[1])), rolled[1]) if d]
    if not firsts:
        return None
    first = date.fromisoformat(min(firsts))
    if since is not None:
        first = max(first, since)
    return first, date.fromisoformat(max(lasts))


def _stored(db: Sql, table: CountTable, day: str) -> dict[tuple[Any, ...], tuple[int, ...]]:
    cols = ", ".join((*table.keys, *table.values))
    n = len(table.keys)
    return {tuple(r[:n]): tuple(int(v) for v in r[n:]) for r in db.execute(
        f"SELECT {cols} FROM {table.name} WHERE day = ?", [day])}


def _counts(db: Sql, table: CountTable, day: str, fresh: Delta) -> Iterator[Drift]:
    stored = _stored(db, table, day)
    counted = dict(table.changes(fresh))
    for key in sorted(set(stored) | set(counted), key=str):
        if stored.get(key) != counted.get(key):
            yield Drift(table.name, key, stored.get(key), counted.get(key))


def _samples(db: Sql, day: str, fresh: Delta) -> Iterator[Drift]:
    stored = {(d, k, day, v): AuthorSample.decode(t, m) for d, k, v, t, m in db.execute(
        "SELECT dim, key, voice, truncated, members FROM rollup_author_samples WHERE day = ?",
        [day])}
    groups = {key: {a: n for a, n in c.items() if n} for key, c in fresh.samples.items()}
    for key in sorted(set(stored) | {k for k, a in groups.items() if a}, key=str):
        sample, authors = stored.get(key), groups.get(key, {})
        listed = sample.members if sample else {}
        right = bool(sample) and all(authors.get(a) == n for a, n in listed.items())
        if sample is not None and right and not sample.truncated:
            right = set(listed) == set(authors)
        elif sample is not None and right:  # truncated: the smallest hashes, enough of them
            top = max(listed, default=None)
            right = (len(listed) >= SAMPLE_FLOOR and top is not None
                     and all(a > top for a in authors if a not in listed))
        if not right:
            cut = " (truncated)" if sample and sample.truncated else ""
            yield Drift("rollup_author_samples", key, f"{len(listed)} authors{cut}",
                        f"{len(authors)} authors")


def _examples(db: Sql, day: str, fresh: Delta) -> Iterator[Drift]:
    stored = {(k, key, day): ExampleList.decode(t, e) for k, key, t, e in db.execute(
        "SELECT kind, key, truncated, entries FROM rollup_examples WHERE day = ?", [day])}
    lists = {key: sorted(entries.values()) for key, entries in fresh.added.items() if entries}
    for key in sorted(set(stored) | set(lists), key=str):
        kept, full = stored.get(key), lists.get(key, [])
        entries = kept.entries if kept else []
        right = kept is not None and entries == full[:len(entries)]
        if kept is not None and right:
            right = entries == full if not kept.truncated else len(entries) >= EXAMPLES_FLOOR
        if not right:
            yield Drift("rollup_examples", key, f"{len(entries)} listed", f"{len(full)} posts")


def _week_authors(db: Sql, week: str, fresh: Counter[tuple[str, int, str]]
                  ) -> Iterator[Drift]:
    stored = {(week, int(a), str(v)): int(n) for a, v, n in db.execute(
        "SELECT author, voice, posts FROM rollup_week_authors WHERE week = ?", [week])}
    counted = {k: n for k, n in fresh.items() if n}
    wrong = [k for k in set(stored) | set(counted) if stored.get(k) != counted.get(k)]
    if wrong:  # per author would name who posted: only how many differ
        yield Drift("rollup_week_authors", (week,), f"{len(stored)} authors",
                    f"{len(counted)} authors ({len(wrong)} differ)")

# ruff: noqa: S608 - SQL here is joined from constant fragments; every value is a ? parameter
"""Keeping the rollups true: every write that changes what a post counts
for goes through here, in the writer's own transaction.

- A new post enters ``rollup_queue`` (a trigger) and is counted nowhere
  else until it is first labelled: ``changing(ids)`` around a label save
  takes the posts' old contributions away and adds their new ones, and
  takes them off the queue. Readers count queued posts from their rows, so
  rollups plus queue always equal the posts.
- A stored post that changes (``save_page``: content, engagement, a new
  source) goes through ``changing(ids, rolled_only=True)``.
- Deletion (retention, erasure, the platform deletion sync) goes through
  ``remove_staged``: days and weeks whose rolled posts all go are dropped
  whole; the rest is subtracted (days from their posts' facts, week
  authors from per-author counts in SQL).
- A day whose author sample or example list no longer says enough after a
  removal (``storage.rollup_sketch``) is rebuilt from its posts in the
  same transaction.

``rebuild`` rewrites a span from the posts (or everything, e.g. after a
time zone change) and ``storage.rollup_check`` compares them with a fresh
count.

Runs on both backends (``storage.backend``): one SQL text each; the staged
ids are a temporary table (``Sql.stage_ids``), written per dialect.
"""

from __future__ import annotations

import contextlib
import logging
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, timedelta

from storage.backend import Sql
from storage.rollup_check import Drift, check
from storage.rollup_delta import Delta
from storage.rollup_facts import (
    COUNTED_TASKS,
    OWN,
    PUBLIC,
    LocalDays,
    PostFacts,
    author_hash,
    read_facts,
    with_labels,
)
from storage.rollup_places import PlaceCounts, place_counts, place_has_authors
from storage.rollup_write import WEEK_AUTHORS, RollupWriter

log = logging.getLogger(__name__)

DEFAULT_ZONE = "Europe/London"  # reports.timezone's default, recorded by the migration
STAGED = "_rollup_ids"
# The rolled posts staged for deletion (``{doomed}``: the connection's
# ``_doomed`` table, ``Sql.temp``), driven by the staged ids (CROSS JOIN
# keeps ``_doomed`` the outer loop), or by the posts' time index between two
# UTC times (a month's purge: the staged ids only checked, ``+p.id`` keeps
# SQLite's planner off the rowid).
_ROLLED_DOOMED_POSTS = ("FROM {doomed} d CROSS JOIN posts p ON p.id = d.id"
                        " WHERE d.id NOT IN (SELECT post_id FROM rollup_queue)")
_DOOMED_BETWEEN = ("FROM posts p WHERE p.created_at >= ? AND p.created_at < ?"
                   " AND +p.id IN (SELECT id FROM {doomed})"
                   " AND p.id NOT IN (SELECT post_id FROM rollup_queue)")
# A post's UTC minute with its offset (``LocalDays.day``'s cache key): it
# decides the local day in any time zone.
_MINUTE = "substr(p.created_at, 1, 16) || substr(p.created_at, 20)"
_ALL_TABLES = ("rollup_posts", "rollup_topics", "rollup_terms", "rollup_places",
               "rollup_sources", "rollup_classifiers", "rollup_week_authors",
               "rollup_author_samples", "rollup_examples")


class Rollups:
    def __init__(self, db: Sql) -> None:
        self.db = db
        self.writer = RollupWriter(db)
        self._days: LocalDays | None = None
        self.ids = f"SELECT id FROM {db.temp(STAGED)}"  # the staged posts (``_stage``)
        doomed = db.temp("_doomed")  # the posts a deletion staged (``storage.deletion``)
        self._doomed_posts = _ROLLED_DOOMED_POSTS.format(doomed=doomed)
        self._doomed_between = _DOOMED_BETWEEN.format(doomed=doomed)

    # -- the time zone -------------------------------------------------------
    def zone(self) -> str:
        row = self.db.execute(
            "SELECT value FROM rollup_state WHERE key = 'timezone'").fetchone()
        return str(row[0]) if row else DEFAULT_ZONE

    def days(self) -> LocalDays:
        zone = self.zone()
        if self._days is None or self._days.name != zone:
            self._days = LocalDays(zone)
        return self._days

    def use_zone(self, zone: str) -> bool:
        """Count days in ``zone`` from now on; when it is not the zone the
        rollups were built in, rebuild them all. True when it rebuilt."""
        LocalDays(zone)  # an unknown zone fails here, before anything changes
        if zone == self.zone():
            return False
        log.warning("rollups: time zone changed from %s to %s; rebuilding them",
                    self.zone(), zone)
        with self.db.transaction():
            self.db.execute("INSERT INTO rollup_state (key, value) VALUES ('timezone', ?)"
                            " ON CONFLICT (key) DO UPDATE SET value = excluded.value", [zone])
        self.rebuild()
        return True

    # -- incremental changes (the caller holds the write transaction) ----------
    def _stage(self, post_ids: Iterable[int]) -> list[int]:
        ids = sorted(set(post_ids))
        self.db.stage_ids(STAGED, ids)
        return ids

    def _rolled(self) -> list[PostFacts]:
        return read_facts(self.db, f"{self.ids} WHERE id NOT IN"
                          " (SELECT post_id FROM rollup_queue)")

    @contextlib.contextmanager
    def changing(self, post_ids: Sequence[int], *, rolled_only: bool = False) -> Iterator[None]:
        """Around a change to these posts or their labels: their old
        contributions come out and their new ones go in (posts on the queue
        join the rollups, unless ``rolled_only``)."""
        if not post_ids:
            yield
            return
        self._stage(post_ids)
        before = self._rolled()
        if rolled_only and not before:
            yield
            return
        yield
        rolled = [p.id for p in before]
        self._stage(rolled if rolled_only else post_ids)
        after = read_facts(self.db, self.ids)
        if not rolled_only:
            self.db.execute(f"DELETE FROM rollup_queue WHERE post_id IN ({self.ids})")
        days = self.days()
        self._apply(Delta(days).add_all(before, -1).add_all(after, 1))

    @contextlib.contextmanager
    def labelling(self, post_ids: Sequence[int], task: str, classifier: str, version: str,
                  labels: Sequence[tuple[int, str, str | None]]) -> Iterator[None]:
        """Around a save of ``task``'s labels for these posts (``labels``:
        post id, label, evidence as stored; every label of the task for
        them), reading each post once: a rolled post's facts before the save,
        its facts after derived from them (``with_labels``), or for a task
        the rollups count only as "looked at" (not topic, sentiment or place)
        just its day, voice and previous classifier; a queued post's facts
        after the save, as it joins the rollups."""
        if not post_ids:
            yield
            return
        staged = self._stage(post_ids)
        queued = [int(r[0]) for r in self.db.execute(
            f"{self.ids} WHERE id IN (SELECT post_id FROM rollup_queue) ORDER BY id")]
        counted = task in COUNTED_TASKS
        some_rolled = len(queued) < len(staged)
        before = self._rolled() if counted and some_rolled else []
        looked = self._looked(task) if not counted and some_rolled else []
        yield
        delta = Delta(self.days())
        if before:
            given: defaultdict[int, list[tuple[str, str | None]]] = defaultdict(list)
            for pid, label, evidence in labels:
                given[pid].append((label, evidence))
            for post in before:
                delta.change(post, with_labels(post, task, classifier, version, given[post.id]))
        for _, day, voice, was in looked:
            if was is not None:
                delta.classifiers[(day, voice, task, *was)] -= 1
            delta.classifiers[(day, voice, task, classifier, version)] += 1
        if queued:
            if some_rolled:
                self._stage(queued)
            delta.add_all(read_facts(self.db, self.ids), 1)
            self.db.execute(f"DELETE FROM rollup_queue WHERE post_id IN ({self.ids})")
        self._apply(delta)

    def _looked(self, task: str) -> list[tuple[int, str, str, tuple[str, str] | None]]:
        """The staged rolled posts' (id, local day, voice, (classifier,
        version) that last looked at ``task`` or None)."""
        days = self.days()
        return [(int(pid), days.day(str(created)), OWN if own else PUBLIC,
                 (str(clf), str(ver)) if clf is not None else None)
                for pid, created, own, clf, ver in self.db.execute(
                    "SELECT p.id, p.created_at, p.author_handle IS NOT NULL, s.classifier,"
                    " s.version FROM posts p LEFT JOIN label_state s ON s.post_id = p.id"
                    f" AND s.task = ? WHERE p.id IN ({self.ids})"
                    " AND p.id NOT IN (SELECT post_id FROM rollup_queue)", [task])]

    def _apply(self, delta: Delta) -> None:
        broken = self.writer.apply(delta)
        if broken:
            log.info("rollups: rebuilding %d day(s) whose samples ran short", len(broken))
            self.rebuild_days(broken)

    def remove_staged(self) -> set[str]:
        """Take the posts staged in ``temp._doomed`` (about to be deleted)
        out of the rollups. Returns the days to rebuild once they are gone
        (``rebuild_days``).

        Counted in SQL, not post by post: the staged posts per minute (a
        minute decides the local day), so days and weeks whose rolled posts
        all go are dropped whole; the posts of the other days are read once
        for their facts, and the other weeks' authors are counted per
        author (``_week_author_counts``) and taken off the week-author rows."""
        days = self.days()
        doomed: Counter[str] = Counter()
        for minute, n in self.db.execute(f"SELECT {_MINUTE}, count(*) {self._doomed_posts}"
                                         " GROUP BY 1"):
            doomed[days.day(_minute_time(str(minute)))] += int(n)
        if not doomed:
            return set()
        total = sum(doomed.values())
        rolled = {day: self._rolled_posts(day, day) for day in doomed}
        whole = {day for day, n in doomed.items() if n == rolled[day]}
        weeks = {days.week(d) for d in doomed}
        gone_weeks = {w for w in weeks if sum(n for d, n in doomed.items() if days.week(d) == w)
                      == self._rolled_posts(w, _week_end(w))}
        partial = sorted(set(doomed) - whole)
        delta = Delta(days)
        if partial:  # one read of their posts (not a walk of each day's posts)
            self._stage_doomed(set(partial) if whole else None, total,
                               sum(rolled[d] for d in partial))
            delta.add_all(read_facts(self.db, self.ids), -1)
        delta.week_authors = self._week_author_counts(sorted(weeks - gone_weeks), total)
        self.db.executemany(f"DELETE FROM {WEEK_AUTHORS.name} WHERE week = ?",
                                 [(w,) for w in sorted(gone_weeks)])
        self.writer.drop_days(whole)
        return self.writer.apply(delta)

    def _stage_doomed(self, wanted: set[str] | None, total: int, wanted_posts: int) -> None:
        """Stage (``_stage``) the rolled staged posts of the local
        days ``wanted`` (None: all of them). Read from the staged ids when
        they are fewer than those days' posts (an author's posts over a
        year), else along the posts' time index day by day (a month's purge,
        whose edge day is cut)."""
        staged = self.db.stage_ids(STAGED, [])
        if wanted is None:
            self.db.execute(f"INSERT INTO {staged} (id) SELECT p.id {self._doomed_posts}")
            return
        days = self.days()
        spans = _spans(days, sorted(wanted)) if total > wanted_posts else None
        if spans is None:
            self.db.executemany(f"INSERT INTO {staged} (id) VALUES (?)", [
                (int(pid),) for pid, minute in self.db.execute(
                    f"SELECT p.id, {_MINUTE} {self._doomed_posts}")
                if days.day(_minute_time(str(minute))) in wanted])
            return
        for start, end in spans:
            self.db.execute(f"INSERT INTO {staged} (id) SELECT p.id {self._doomed_between}",
                            [start, end])

    def _week_author_counts(self, weeks: list[str], total: int
                            ) -> Counter[tuple[str, int, str]]:
        """The week-author decrements (week, author hash, voice) -> -posts of
        the rolled staged posts in ``weeks`` (weeks not dropped whole),
        counted per author in SQL: from the staged ids when they are fewer
        than those weeks' posts, else per week along the time index."""
        counts: Counter[tuple[str, int, str]] = Counter()
        if not weeks:
            return counts
        days = self.days()
        wanted = set(weeks)
        week_posts = sum(self._rolled_posts(w, _week_end(w)) for w in weeks)
        spans = _spans(days, weeks, week=True) if total > week_posts else None
        if spans is None:
            for minute, key, own, n in self.db.execute(
                    f"SELECT {_MINUTE}, p.author_key, p.author_handle IS NOT NULL, count(*)"
                    f" {self._doomed_posts} GROUP BY 1, 2, 3"):
                week = days.week(days.day(_minute_time(str(minute))))
                if week in wanted:
                    counts[(week, author_hash(key), OWN if own else PUBLIC)] -= int(n)
            return counts
        for week, (start, end) in zip(weeks, spans, strict=True):
            for key, own, n in self.db.execute(
                    "SELECT p.author_key, p.author_handle IS NOT NULL, count(*)"
                    f" {self._doomed_between} GROUP BY 1, 2", [start, end]):
                counts[(week, author_hash(key), OWN if own else PUBLIC)] -= int(n)
        return counts

    def _rolled_posts(self, first: str, last: str) -> int:
        row = self.db.execute("SELECT COALESCE(sum(posts), 0) FROM rollup_posts"
                              " WHERE day >= ? AND day <= ?", [first, last]).fetchone()
        return int(row[0])

    # -- rebuilding ------------------------------------------------------------
    def rebuild_days(self, chosen: Iterable[str]) -> None:
        """Write these days afresh from their rolled posts (caller's
        transaction); week authors, exact by construction, stay."""
        days = self.days()
        for day in sorted(set(chosen)):
            start, end = days.bounds(day)
            delta = Delta(days).add_all(read_facts(
                self.db, "SELECT id FROM posts WHERE created_at >= ? AND created_at < ?"
                " AND id NOT IN (SELECT post_id FROM rollup_queue)", [start, end]), 1)
            self.writer.replace_days(delta, [day])

    def rebuild(self, since: date | None = None) -> int:
        """Rebuild the rollups of every post created since ``since`` (local
        date; its whole week is rebuilt) or of every post, one week per
        transaction. Until a week's turn its posts are queued, so readers
        stay right throughout. Returns the posts rolled up."""
        days = self.days()
        first = days.week(since.isoformat()) if since else None
        start = days.bounds(first)[0] if first else ""
        with self.db.transaction():
            if first is None:
                for name in _ALL_TABLES:
                    self.db.execute(f"DELETE FROM {name}")
            else:
                self.writer.drop_days(self._stored_days(first))
                self.db.execute("DELETE FROM rollup_week_authors WHERE week >= ?", [first])
            self.db.execute("INSERT INTO rollup_queue (post_id) SELECT id FROM posts"
                            " WHERE created_at >= ? ON CONFLICT (post_id) DO NOTHING", [start])
        row = self.db.execute("SELECT min(created_at), max(created_at) FROM posts"
                              " WHERE created_at >= ?", [start]).fetchone()
        if row[0] is None:
            return 0
        week = date.fromisoformat(days.week(days.day(str(row[0]))))
        last = date.fromisoformat(days.day(str(row[1])))
        total = 0
        while week <= last:
            with self.db.transaction():
                total += self._rebuild_week(days, week)
            week += timedelta(weeks=1)
        return total

    def _rebuild_week(self, days: LocalDays, monday: date) -> int:
        total = 0
        for k in range(7):
            day = (monday + timedelta(k)).isoformat()
            start, end = days.bounds(day)
            self._stage(int(r[0]) for r in self.db.execute(
                "SELECT id FROM posts WHERE created_at >= ? AND created_at < ?", [start, end]))
            delta = Delta(days).add_all(read_facts(self.db, self.ids), 1)
            self.writer.replace_days(delta, [day])
            self.writer.add_counts([WEEK_AUTHORS], delta)
            self.db.execute(f"DELETE FROM rollup_queue WHERE post_id IN ({self.ids})")
            total += sum(v[0] for v in delta.posts.values())
        return total

    def _stored_days(self, first: str) -> list[str]:
        return [str(r[0]) for r in self.db.execute(
            "SELECT DISTINCT day FROM rollup_posts WHERE day >= ?", [first])]

    def check(self, since: date | None = None) -> list[Drift]:
        """Differences between the rollups and a fresh count of the posts
        (``storage.rollup_check``); none when they are true."""
        return check(self.db, self.days(), since)

    def places(self, first: date, last: date, *, voice: str | None = None
               ) -> list[PlaceCounts]:
        """Per place between two local days: posts, sentiments, topics."""
        return place_counts(self.db, first.isoformat(), last.isoformat(), voice=voice)

    def place_has_authors(self, place: str, first: date, last: date, n: int = 10, *,
                          sentiment: str | None = None) -> bool | None:
        return place_has_authors(self.db, place, first.isoformat(), last.isoformat(), n,
                                 sentiment=sentiment)

    def queued(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM rollup_queue").fetchone()[0])


def _minute_time(minute: str) -> str:
    """A UTC time in the minute ``_MINUTE`` names (its first second)."""
    return minute[:16] + ":00" + minute[16:]


def _spans(days: LocalDays, firsts: list[str], *, week: bool = False
           ) -> list[tuple[str, str]] | None:
    """UTC [start, end) of each local day (or week) in ``firsts``; None when
    one ends past the calendar (a post dated in 9999)."""
    try:
        return [days.bounds(d, _week_end(d) if week else d) for d in firsts]
    except OverflowError:
        return None


def _week_end(week: str) -> str:
    """The last day of the week starting on ``week`` (ISO date), kept inside
    the calendar: a post dated 31 December 9999 has a week past its end."""
    start = date.fromisoformat(week)
    return (start + timedelta(6) if start <= date.max - timedelta(6) else date.max).isoformat()

# ruff: noqa: S608 - SQL here is joined from constant fragments; every value is a ? parameter
"""Discovery's storage: the posts of a period as discovery reads them, and
each run's themes and bursting terms with their members.

A run is one period (``kind`` week: a report week; ``kind`` day: the seven
days to a day, for the daily alert check) and replaces any earlier run of
the same period. Its themes keep their label, terms, centroid (with the
embedding model's id and version on the run), nearest topic, suggestion
and identity (the theme of an earlier period it continues, the period it
was first seen, how many periods running). Counts (size, distinct
authors, sentiment) are made here from the members, never taken from the
caller, and themes or terms under the floor of 10 posts from 10 authors
are not kept (``storage.discovery_upkeep``).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlite_utils import Database

from storage.backend import SqliteSql
from storage.db import write_transaction
from storage.discovery_records import (
    BurstRecord,
    EarlierTheme,
    PeriodPost,
    RunInfo,
    StoredBurst,
    StoredRun,
    StoredTheme,
    ThemeRecord,
)
from storage.discovery_upkeep import DiscoveryUpkeep
from storage.report_queries import Bounds, PostRow
from storage.timefmt import utcnow

# Residents only, as in the report's figures: never the body's own posts (an
# allow-listed official account's, the only posts that keep a handle).
_RESIDENTS = "+p.author_handle IS NULL"
_PERIOD_POSTS = (
    "SELECT p.id, COALESCE(p.title || char(10), '') || p.text,"
    " min(p.id) OVER (PARTITION BY COALESCE(p.author_key, 'post:' || p.id)),"
    " EXISTS (SELECT 1 FROM label_state s WHERE s.post_id = p.id AND s.task = 'topic'),"
    " (SELECT group_concat(l.label, char(31)) FROM labels l"
    "  WHERE l.post_id = p.id AND l.task = 'topic')"
    f" FROM posts p WHERE p.created_at >= ? AND p.created_at < ? AND {_RESIDENTS} ORDER BY p.id"
)
_UNMATCHED = (
    "EXISTS (SELECT 1 FROM label_state s WHERE s.post_id = p.id AND s.task = 'topic')"
    " AND NOT EXISTS (SELECT 1 FROM labels l WHERE l.post_id = p.id AND l.task = 'topic')"
)
_RUN = ("id, kind, period, period_start, period_end, model_id, model_version, settings_hash,"
        " posts, unmatched, status, seconds, ran_at")
_THEME = ("id, rank, label, terms, size, authors, negative, classified, cohesion, centroid,"
          " nearest_topic, topic_similarity, topic_evidence, suggestion, previous_id,"
          " previous_similarity, identity, first_period, streak")
_BURST = ("id, rank, term, posts, authors, baseline_mean, baseline_sd, threshold,"
          " baseline_periods, suggestion")
_POST = ("p.id, p.platform, p.native_id, p.created_at, p.url, p.text, p.title, p.author_handle,"
         " p.replies, p.reposts, p.likes, p.quotes")


class Themes:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.upkeep = DiscoveryUpkeep(SqliteSql(db))

    def check(self) -> list[str]:
        """Stored counts that differ from their members, in words (none: consistent)."""
        return self.upkeep.check()

    def repair(self) -> dict[str, int]:
        """Count every stored theme and term again from its members."""
        return self.upkeep.repair()

    # -- what a run reads ------------------------------------------------------
    def period_posts(self, bounds: Bounds) -> list[PeriodPost]:
        """Every resident's post created in ``bounds`` (title and text, as
        classified), in id order: the body's own posts are left out."""
        return [PeriodPost(int(i), str(text), int(group), bool(looked),
                           tuple(str(topics).split("\x1f")) if topics else ())
                for i, text, group, looked, topics in self.db.execute(_PERIOD_POSTS, bounds)]

    def period_texts(self, bounds: Bounds) -> list[str]:
        """The title and text of every resident's post created in ``bounds``."""
        return [str(r[0]) for r in self.db.execute(
            "SELECT COALESCE(p.title || char(10), '') || p.text FROM posts p"
            f" WHERE p.created_at >= ? AND p.created_at < ? AND {_RESIDENTS}", bounds)]

    def counts(self, bounds: Bounds) -> tuple[int, int]:
        """(residents' posts, those looked at that no topic matched) created in ``bounds``."""
        row = self.db.execute(f"SELECT count(*), sum({_UNMATCHED}) FROM posts p"
                              f" WHERE p.created_at >= ? AND p.created_at < ? AND {_RESIDENTS}",
                              bounds).fetchone()
        return int(row[0]), int(row[1] or 0)

    # -- writing a run -------------------------------------------------------------
    def save_run(self, info: RunInfo, themes: Sequence[ThemeRecord],
                 bursts: Sequence[BurstRecord], *, keep: int | None = None) -> StoredRun:
        """Replace the run of ``info.kind`` and ``info.period`` with this one,
        in one transaction; with ``keep``, only the latest ``keep`` runs of
        the kind are kept. Returns the run as stored (themes and terms under
        the floor left out)."""
        with write_transaction(self.db):
            self.db.execute("DELETE FROM discovery_runs WHERE kind = ? AND period = ?",
                            [info.kind, info.period])
            run_id = self.db.execute(
                "INSERT INTO discovery_runs (kind, period, period_start, period_end, model_id,"
                " model_version, settings_hash, posts, unmatched, status, ran_at, seconds)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [info.kind, info.period, info.period_start, info.period_end, info.model_id,
                 info.model_version, info.settings_hash, info.posts, info.unmatched,
                 info.status, info.ran_at or utcnow(), info.seconds]).lastrowid
            theme_ids = [self._insert_theme(int(run_id or 0), t, info.period) for t in themes]
            burst_ids = [self._insert_burst(int(run_id or 0), b) for b in bursts]
            self.upkeep.recount(theme_ids, burst_ids)
            if keep is not None:
                self.db.execute(
                    "DELETE FROM discovery_runs WHERE kind = ? AND id NOT IN (SELECT id FROM"
                    " discovery_runs WHERE kind = ? ORDER BY period_end DESC LIMIT ?)",
                    [info.kind, info.kind, keep])
        stored = self.run(info.kind, info.period)
        assert stored is not None
        return stored

    def _insert_theme(self, run_id: int, t: ThemeRecord, period: str) -> int:
        theme_id = int(self.db.execute(
            "INSERT INTO themes (run_id, rank, label, terms, size, authors, negative, classified,"
            " cohesion, centroid, nearest_topic, topic_similarity, topic_evidence, suggestion,"
            " previous_id, previous_similarity, identity, first_period, streak)"
            " VALUES (?, ?, ?, ?, 0, 0, 0, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [run_id, t.rank, t.label, json.dumps(list(t.terms), ensure_ascii=False),
             t.cohesion, t.centroid, t.nearest_topic, t.topic_similarity, t.topic_evidence,
             json.dumps(t.suggestion, ensure_ascii=False), t.previous_id,
             t.previous_similarity, t.identity or 0, t.first_period or period,
             t.streak]).lastrowid or 0)
        if t.identity is None:
            self.db.execute("UPDATE themes SET identity = id WHERE id = ?", [theme_id])
        self.db.conn.executemany(
            "INSERT INTO theme_posts (theme_id, post_id, similarity, representative)"
            " VALUES (?, ?, ?, ?)",
            [(theme_id, m.post_id, m.similarity, m.representative) for m in t.members])
        return theme_id

    def _insert_burst(self, run_id: int, b: BurstRecord) -> int:
        burst_id = int(self.db.execute(
            "INSERT INTO bursts (run_id, rank, term, posts, authors, baseline_mean, baseline_sd,"
            " threshold, baseline_periods, suggestion) VALUES (?, ?, ?, 0, 0, ?, ?, ?, ?, ?)",
            [run_id, b.rank, b.term, b.baseline_mean, b.baseline_sd, b.threshold,
             b.baseline_periods, json.dumps(b.suggestion, ensure_ascii=False)]).lastrowid or 0)
        shown = {post_id: k for k, post_id in enumerate(b.examples, start=1)}
        self.db.conn.executemany(
            "INSERT INTO burst_posts (burst_id, post_id, example) VALUES (?, ?, ?)",
            [(burst_id, pid, shown.get(pid)) for pid in dict.fromkeys(b.post_ids)])
        return burst_id

    def recount_run(self, kind: str, period: str) -> StoredRun | None:
        """Count the run's themes and terms again from their members (labels
        given since it ran: a sentiment relabel changes the negative share)
        and return it as stored; None when there is no such run."""
        with write_transaction(self.db):
            row = self.db.execute("SELECT id FROM discovery_runs WHERE kind = ? AND period = ?",
                                  [kind, period]).fetchone()
            if row is None:
                return None
            self.upkeep.recount(
                [int(r[0]) for r in self.db.execute("SELECT id FROM themes WHERE run_id = ?",
                                                     [row[0]])],
                [int(r[0]) for r in self.db.execute("SELECT id FROM bursts WHERE run_id = ?",
                                                     [row[0]])])
        return self.run(kind, period)

    # -- reading runs back -----------------------------------------------------------
    def run(self, kind: str, period: str) -> StoredRun | None:
        """The stored run of one period, its themes largest first and its
        terms most unusual first."""
        row = self.db.execute(f"SELECT {_RUN} FROM discovery_runs WHERE kind = ? AND period = ?",
                              [kind, period]).fetchone()
        if row is None:
            return None
        info = RunInfo(kind=str(row[1]), period=str(row[2]), period_start=str(row[3]),
                       period_end=str(row[4]), model_id=str(row[5]), model_version=str(row[6]),
                       settings_hash=str(row[7]), posts=int(row[8]), unmatched=int(row[9]),
                       status=str(row[10]), seconds=float(row[11]), ran_at=str(row[12]),
                       id=int(row[0]))
        themes = tuple(_theme(r) for r in self.db.execute(
            f"SELECT {_THEME} FROM themes WHERE run_id = ? ORDER BY size DESC, rank", [info.id]))
        bursts = tuple(_burst(r) for r in self.db.execute(
            f"SELECT {_BURST} FROM bursts WHERE run_id = ? ORDER BY rank", [info.id]))
        return StoredRun(info, themes, bursts)

    def earlier(self, model_id: str, kind: str, ends: Bounds) -> list[EarlierTheme]:
        """Themes of ``kind`` runs with the same embedding model whose period
        ended in ``(ends[0], ends[1]]``, latest period first."""
        return [EarlierTheme(int(r[0]), str(r[1]), str(r[2]), str(r[3]), bytes(r[4]), int(r[5]),
                             str(r[6]), int(r[7])) for r in self.db.execute(
            "SELECT t.id, r.kind, r.period, r.period_end, t.centroid, t.identity,"
            " t.first_period, t.streak FROM themes t JOIN discovery_runs r ON r.id = t.run_id"
            " WHERE r.model_id = ? AND r.kind = ? AND r.period_end > ? AND r.period_end <= ?"
            " ORDER BY r.period_end DESC, t.rank", [model_id, kind, *ends])]

    def theme_posts(self, theme_id: int) -> list[PostRow]:
        """The theme's representative posts, in order."""
        return self._posts("theme_posts m", "m.theme_id = ? AND m.representative IS NOT NULL",
                           "m.representative", theme_id)

    def burst_posts(self, burst_id: int) -> list[PostRow]:
        """The bursting term's example posts, in order."""
        return self._posts("burst_posts m", "m.burst_id = ? AND m.example IS NOT NULL",
                           "m.example", burst_id)

    def _posts(self, table: str, where: str, order: str, key: int) -> list[PostRow]:
        return [PostRow(*r) for r in self.db.execute(
            f"SELECT {_POST} FROM {table} JOIN posts p ON p.id = m.post_id WHERE {where}"
            f" ORDER BY {order}", [key])]


def _theme(r: Sequence[Any]) -> StoredTheme:
    return StoredTheme(
        id=int(r[0]), rank=int(r[1]), label=str(r[2]), terms=tuple(json.loads(r[3])),
        size=int(r[4]), authors=int(r[5]), negative=int(r[6]), classified=int(r[7]),
        cohesion=float(r[8]), centroid=bytes(r[9]), nearest_topic=r[10],
        topic_similarity=r[11], topic_evidence=r[12], suggestion=json.loads(r[13]),
        previous_id=r[14], previous_similarity=r[15], identity=int(r[16]),
        first_period=str(r[17]), streak=int(r[18]))


def _burst(r: Sequence[Any]) -> StoredBurst:
    return StoredBurst(
        id=int(r[0]), rank=int(r[1]), term=str(r[2]), posts=int(r[3]), authors=int(r[4]),
        baseline_mean=float(r[5]), baseline_sd=float(r[6]), threshold=float(r[7]),
        baseline_periods=int(r[8]), suggestion=json.loads(r[9]))

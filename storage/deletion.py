"""Deleting posts with every row that refers to them: each table with a
``post_id`` column (the known children, and any cache a later module
adds), the full-text index (by the ``posts_ad`` trigger; its tokens leave
the index's segments at once with FTS5 ``secure-delete``, else by a merge
of the index afterwards: ``storage.fts``). The connection runs with
``secure_delete`` on, so freed pages are zeroed.

Used by retention (``storage.retention``), erasure (``storage.erasure``)
and, through ``Store.compact``, the platform deletion sync. The posts'
counts leave the rollups in the same transaction (``Rollups.remove_staged``);
their place on the rollup queue goes with them (a foreign key cascade).
Discovery's themes and bursting terms lose the deleted members and are
counted again (or deleted under the floor) in the same transaction
(``storage.discovery_upkeep``).
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import Any, NamedTuple

from sqlite_utils import Database

from storage import fts
from storage.backend import SqliteSql
from storage.db import in_chunks
from storage.discovery_upkeep import DiscoveryUpkeep
from storage.driver import FTS_SECURE_DELETE
from storage.rollups import Rollups

Counts = dict[str, int]


class Deleted(NamedTuple):
    gone: bool  # the posts' tokens left the full-text index's segments with them
    counts: Counts  # rows deleted per table (posts, each child table, posts_fts)


class PostDeletion:
    """Stage posts in the temp table ``_doomed``, count and delete them
    with every row keyed to them; then compact. Callers hold the transaction."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.rollups = Rollups(SqliteSql(db))
        self.discovery = DiscoveryUpkeep(db)

    def tables(self) -> list[str]:
        """Every table (other than posts) with a ``post_id`` column."""
        names = [r[0] for r in self.db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            " AND name NOT LIKE 'posts_fts%' AND name != 'posts' ORDER BY name")]
        return [n for n in names if n != "rollup_queue" and any(
            col[1] == "post_id" for col in self.db.execute(f'PRAGMA table_info("{n}")'))]

    def stage(self, where: str, params: Sequence[Any] | dict[str, Any]) -> int:
        """Put the ids of the posts matching ``where`` in ``_doomed``."""
        self.db.execute("CREATE TEMP TABLE IF NOT EXISTS _doomed (id INTEGER PRIMARY KEY)")
        self.db.execute("DELETE FROM _doomed")
        # ``where`` is one of storage's constant clauses; values are bound
        self.db.execute(
            f"INSERT INTO _doomed (id) SELECT id FROM posts WHERE {where}",  # noqa: S608
            params)
        return int(self.db.execute("SELECT count(*) FROM _doomed").fetchone()[0])

    def stage_ids(self, post_ids: Sequence[int]) -> int:
        """Put these post ids (those still stored) in ``_doomed``, bound in
        chunks (``in_chunks``): one set of statements for a whole batch."""
        self.db.execute("CREATE TEMP TABLE IF NOT EXISTS _doomed (id INTEGER PRIMARY KEY)")
        self.db.execute("DELETE FROM _doomed")
        for marks, chunk in in_chunks(sorted({int(i) for i in post_ids})):
            self.db.execute(  # marks are placeholders only; the ids are bound
                f"INSERT INTO _doomed (id) SELECT id FROM posts WHERE id IN ({marks})",  # noqa: S608
                chunk)
        return int(self.db.execute("SELECT count(*) FROM _doomed").fetchone()[0])

    def count_staged(self) -> Counts:
        counts: Counts = {
            "posts": int(self.db.execute("SELECT count(*) FROM _doomed").fetchone()[0])}
        for table in self.tables():
            counts[table] = int(self.db.execute(
                f'SELECT count(*) FROM "{table}" WHERE post_id IN (SELECT id FROM _doomed)'  # noqa: S608
            ).fetchone()[0])
        counts["posts_fts"] = counts["posts"]
        return counts

    def delete_staged(self, *, at_once: bool = True) -> Deleted:
        """Delete the staged posts with every row keyed to them; the rows
        deleted per table are counted by the deletes themselves (as
        ``count_staged`` counts them before). With ``at_once`` (and a SQLite
        that can), their tokens leave the full-text index's segments in the
        same statements (``storage.fts``); ``gone`` says whether they did: if
        not, ``compact(merge=True)`` after."""
        counts: Counts = {
            "posts": int(self.db.execute("SELECT count(*) FROM _doomed").fetchone()[0])}
        short = self.rollups.remove_staged()
        themes, bursts = self.discovery.touched_by_staged()
        for table in self.tables():
            # table names come from sqlite_master, not from input
            counts[table] = int(self.db.execute(
                f'DELETE FROM "{table}" WHERE post_id IN (SELECT id FROM _doomed)'  # noqa: S608
            ).rowcount)
        with contextlib.ExitStack() as stack:
            gone = at_once and stack.enter_context(fts.deleting_at_once(self.db))
            if not at_once:
                stack.enter_context(fts.deleting_in_bulk(self.db, "SELECT id FROM _doomed"))
            self.db.execute("DELETE FROM posts WHERE id IN (SELECT id FROM _doomed)")
        counts["posts_fts"] = counts["posts"]
        self.db.execute("DELETE FROM _doomed")
        self.rollups.rebuild_days(short)
        self.discovery.recount(themes, bursts)
        return Deleted(gone, counts)

    def unstage(self) -> None:
        self.db.execute("DELETE FROM _doomed")

    def compact(self, *, merge: bool | None = None) -> bool:
        """After deletes: merge the full-text index (``merge``; by default
        only when this SQLite cannot delete tokens at once), so deleted
        tokens leave its segments, then checkpoint the WAL into the file.
        False when a reader kept the checkpoint from completing (the rest
        is written at the next one)."""
        if merge or (merge is None and not FTS_SECURE_DELETE):
            fts.merge(self.db)
        row = self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        return row is None or int(row[0]) == 0

"""Deleting posts with every row that refers to them: each table with a
``post_id`` column (the known children, and any cache a later module
adds), the full-text index (by the ``posts_ad`` trigger), and then the
index is merged (FTS5 ``optimize``) so that the deleted tokens leave its
segments. The connection runs with ``secure_delete`` on, so freed pages
are zeroed.

Used by retention (``storage.retention``), erasure (``storage.erasure``)
and, through ``Store.compact``, the platform deletion sync. The posts'
counts leave the rollups in the same transaction (``Rollups.remove_staged``);
their place on the rollup queue goes with them (a foreign key cascade).
Discovery's themes and bursting terms lose the deleted members and are
counted again (or deleted under the floor) in the same transaction
(``storage.discovery_upkeep``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlite_utils import Database

from storage.db import in_chunks, write_transaction
from storage.discovery_upkeep import DiscoveryUpkeep
from storage.rollups import Rollups

Counts = dict[str, int]


class PostDeletion:
    """Stage posts in the temp table ``_doomed``, count and delete them
    with every row keyed to them; then compact. Callers hold the transaction."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.rollups = Rollups(db)
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

    def delete_staged(self) -> None:
        short = self.rollups.remove_staged()
        themes, bursts = self.discovery.touched_by_staged()
        for table in self.tables():
            # table names come from sqlite_master, not from input
            self.db.execute(
                f'DELETE FROM "{table}" WHERE post_id IN (SELECT id FROM _doomed)')  # noqa: S608
        self.db.execute("DELETE FROM posts WHERE id IN (SELECT id FROM _doomed)")
        self.db.execute("DELETE FROM _doomed")
        self.rollups.rebuild_days(short)
        self.discovery.recount(themes, bursts)

    def unstage(self) -> None:
        self.db.execute("DELETE FROM _doomed")

    def compact(self) -> bool:
        """Merge the full-text index so deleted tokens leave its segments,
        then checkpoint the WAL into the file. False when a reader kept the
        checkpoint from completing (the rest is written at the next one)."""
        with write_transaction(self.db):
            self.db.execute("INSERT INTO posts_fts (posts_fts) VALUES ('optimize')")
        row = self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        return row is None or int(row[0]) == 0

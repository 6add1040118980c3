"""Deleting posts with every row that refers to them: each table with a
``post_id`` column (the known children, and any cache a later module
adds), the full-text index (by the ``posts_ad`` trigger; its tokens leave
the index's segments at once with FTS5 ``secure-delete``, else by a merge
of the index afterwards: ``storage.fts``). The connection runs with
``secure_delete`` on, so freed pages are zeroed.

Used by retention (``storage.retention``), erasure (``storage.erasure``)
and, through ``Store.compact``, the platform deletion sync. The posts'
counts leave the rollups in the same transaction (``Rollups.remove_staged``);
their place on the rollup queue goes with them (a foreign key cascade, or
its set-based equivalent below). Discovery's themes and bursting terms
lose the deleted members and are counted again (or deleted under the
floor) in the same transaction (``storage.discovery_upkeep``). On SQLite
the deletion's transaction (``PostDeletion.transaction``) runs with the
foreign keys off where every action they would take is a CASCADE or SET
NULL, and does those actions itself, one statement per reference instead
of a probe per deleted post.

On PostgreSQL (docs/postgresql.md, docs/privacy.md) there is no full-text
index to clean: a post's ``search`` tsvector is a generated column and its
GIN entries go with the row. What stays is the deleted rows' dead tuples
(heap and indexes) until VACUUM: ``compact`` runs ``VACUUM`` on the tables
a deletion touches, after the commit (VACUUM cannot run in a transaction;
the pool's connections are autocommit).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from typing import Any, NamedTuple

from storage import driver, fts
from storage.backend import Sql, SqliteSql
from storage.db import in_chunks
from storage.discovery_upkeep import DiscoveryUpkeep
from storage.rollups import Rollups

Counts = dict[str, int]

# What a deletion writes besides the posts and their ``post_id`` children
# (PostgreSQL's VACUUM list): raw payloads and quarantine (retention,
# erasure), replies and threads unlinked (posts, conversations), lookups
# unlinked from the pseudonym, the rollups (``rollup_*``) rebuilt,
# discovery recounted.
SEARCH_INDEX = "idx_posts_search"  # PostgreSQL: posts.search's GIN index (pg_migrations)
_ALSO_TOUCHED = ("posts", "raw_payloads", "quarantine", "conversations", "lookups",
                 "themes", "bursts", "term_weeks")
# SQLite: the foreign keys a deletion's own statements act on, with what
# deleting a parent does to them: those that reference posts, and those that
# reference the discovery rows a deletion deletes (``DiscoveryUpkeep``: themes
# and bursts under the floor, the week term counts of the span)
_REFERENCES = (
    "SELECT m.name, f.\"from\", f.\"table\", f.\"to\", upper(f.on_delete)"
    " FROM sqlite_master m, pragma_foreign_key_list(m.name) f WHERE m.type = 'table'"
    " AND f.\"table\" IN ('posts', 'themes', 'bursts', 'term_weeks') ORDER BY m.name, f.\"from\"")
# the actions a set-based deletion runs itself (``PostDeletion.transaction``):
# over the staged posts for references to posts, over the orphans for the others
_ACTIONS = {
    "CASCADE": 'DELETE FROM "{table}" WHERE {rows}',
    "SET NULL": 'UPDATE "{table}" SET "{column}" = NULL WHERE {rows}',
}
_STAGED = '"{column}" IN (SELECT id FROM _doomed)'
_ORPHANED = '"{column}" IS NOT NULL AND "{column}" NOT IN (SELECT "{key}" FROM "{parent}")'


class Deleted(NamedTuple):
    gone: bool  # the posts' tokens left the full-text index's segments with them
    counts: Counts  # rows deleted per table (posts, each child table, posts_fts)
    deferred: int = 0  # posts whose tokens wait for the next merge (``fts.defer``)

    @property
    def merge_now(self) -> bool:
        """Whether the caller merges the index after the commit: the tokens
        neither left with the posts nor wait for the next purge's merge."""
        return not self.gone and not self.deferred


class PostDeletion:
    """Stage posts in the temp table ``_doomed``, count and delete them
    with every row keyed to them; then compact. Callers hold the transaction."""

    def __init__(self, db: Sql) -> None:
        self.db = db
        self.rollups = Rollups(db)
        self.discovery = DiscoveryUpkeep(db)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """The deletion's write transaction. On SQLite, with foreign keys off
        for it when every reference a deletion acts on (to ``posts``, and to
        the discovery rows it deletes) is ``ON DELETE CASCADE`` or ``SET
        NULL``: ``delete_staged`` then runs those actions itself, one
        statement per reference over all the staged posts (and one over the
        orphans of the discovery rows it deleted), instead of SQLite's probe
        of every referencing table per deleted post: about half of a month's
        ``DELETE FROM posts`` (1.55 to 0.72 CPU s at 1M posts; docs/scale.md).
        The pragma is a no-op inside a transaction, so it is set before the
        transaction begins and set back after it ends. Elsewhere (PostgreSQL,
        a transaction already open, another action) the foreign keys act as
        usual."""
        if (not isinstance(self.db, SqliteSql) or self.db.in_transaction
                or not self._set_based_actions()):
            with self.db.transaction():
                yield
            return
        self.db.execute("PRAGMA foreign_keys = OFF")
        try:
            with self.db.transaction():
                yield
        finally:
            self.db.execute("PRAGMA foreign_keys = ON")

    def _set_based_actions(self, done: Sequence[str] = ()) -> tuple[list[str], list[str]] | None:
        """What the foreign keys would do, as statements: those over the
        staged posts (before their delete; not the ``post_id`` cascades of
        the tables ``done``, whose rows are deleted already) and those over
        the orphans of the discovery rows deleted (after). None when an
        action is not CASCADE or SET NULL (then the foreign keys stay on)."""
        staged: list[str] = []
        orphans: list[str] = []
        for table, column, parent, key, action in self.db.execute(_REFERENCES):
            if action not in _ACTIONS:
                return None
            if parent != "posts":
                orphans.append(_ACTIONS[action].format(table=table, column=column, rows=(
                    _ORPHANED.format(column=column, key=key or "rowid", parent=parent))))
            elif not (action == "CASCADE" and column == "post_id" and table in done):
                staged.append(_ACTIONS[action].format(table=table, column=column, rows=(
                    _STAGED.format(column=column))))
        return staged, orphans

    def tables(self) -> list[str]:
        """Every table (other than posts) with a ``post_id`` column."""
        if self.db.dialect == "postgresql":  # the catalogue differs; the same answer
            return [str(r[0]) for r in self.db.execute(
                "SELECT table_name FROM information_schema.columns"
                " WHERE table_schema = current_schema() AND column_name = 'post_id'"
                " AND table_name NOT IN ('posts', 'rollup_queue') ORDER BY table_name")]
        names = [r[0] for r in self.db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            " AND name NOT LIKE 'posts_fts%' AND name != 'posts' ORDER BY name")]
        return [n for n in names if n != "rollup_queue" and any(
            col[1] == "post_id" for col in self.db.execute(f'PRAGMA table_info("{n}")'))]

    def _create(self) -> None:
        # post ids are 64-bit: PostgreSQL's INTEGER is 32 (SQLite's is the rowid)
        self.db.execute("CREATE TEMP TABLE IF NOT EXISTS _doomed (id "
                        + ("INTEGER" if self.db.dialect == "sqlite" else "BIGINT")
                        + " PRIMARY KEY)")
        self.db.execute("DELETE FROM _doomed")

    def stage(self, where: str, params: Sequence[Any] | dict[str, Any]) -> int:
        """Put the ids of the posts matching ``where`` in ``_doomed``."""
        self._create()
        # ``where`` is one of storage's constant clauses; values are bound
        self.db.execute(
            f"INSERT INTO _doomed (id) SELECT id FROM posts WHERE {where}",  # noqa: S608
            params)
        return int(self.db.execute("SELECT count(*) FROM _doomed").fetchone()[0])

    def stage_ids(self, post_ids: Sequence[int]) -> int:
        """Put these post ids (those still stored) in ``_doomed``, bound in
        chunks (``in_chunks``): one set of statements for a whole batch."""
        self._create()
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
        same statements (``storage.fts``); ``gone`` says whether they did.
        More than ``fts.AT_ONCE_LIMIT`` posts are deleted plainly instead and
        recorded for the next merge (``deferred``, ``fts.defer``). If neither,
        ``compact(merge=True)`` after (``Deleted.merge_now``). On PostgreSQL
        ``gone`` is True: the tsvector and its GIN entries go with the row."""
        counts: Counts = {
            "posts": int(self.db.execute("SELECT count(*) FROM _doomed").fetchone()[0])}
        short = self.rollups.remove_staged()
        themes, bursts = self.discovery.touched_by_staged()
        children = self.tables()
        for table in children:
            # table names come from sqlite_master, not from input
            counts[table] = int(self.db.execute(
                f'DELETE FROM "{table}" WHERE post_id IN (SELECT id FROM _doomed)'  # noqa: S608
            ).rowcount)
        deferred = 0
        with contextlib.ExitStack() as stack:
            if isinstance(self.db, SqliteSql):
                if at_once and counts["posts"] > fts.AT_ONCE_LIMIT:
                    at_once, deferred = False, counts["posts"]
                gone = at_once and stack.enter_context(
                    fts.deleting_at_once(self.db.database, counts["posts"]))
                if not at_once:
                    stack.enter_context(fts.deleting_in_bulk(self.db.database,
                                                             "SELECT id FROM _doomed"))
            else:
                gone = True
            actions = self._actions_by_hand(children)
            for action in actions[0]:  # table and column names from the schema
                self.db.execute(action)
            self.db.execute("DELETE FROM posts WHERE id IN (SELECT id FROM _doomed)")
        counts["posts_fts"] = counts["posts"]
        if deferred and isinstance(self.db, SqliteSql):
            fts.defer(self.db.database, deferred)
        self.db.execute("DELETE FROM _doomed")
        self.rollups.rebuild_days(short)
        self.discovery.recount(themes, bursts)
        for action in actions[1]:
            self.db.execute(action)
        return Deleted(gone, counts, deferred)

    def _actions_by_hand(self, children: Sequence[str]) -> tuple[list[str], list[str]]:
        """The foreign keys' actions to run here: none while they are on."""
        if not isinstance(self.db, SqliteSql) or int(
                self.db.execute("PRAGMA foreign_keys").fetchone()[0]):
            return [], []
        actions = self._set_based_actions(children)
        if actions is None:
            raise RuntimeError("foreign keys are off and a reference this deletion acts on has"
                               " an action it cannot run itself")
        return actions

    def fts_pending(self) -> fts.Pending:
        """The posts of earlier erasures whose tokens wait for the next merge
        of the full-text index (``storage.fts.defer``); none on PostgreSQL."""
        if isinstance(self.db, SqliteSql):
            return fts.pending(self.db.database)
        return fts.Pending(0, None)

    def unstage(self) -> None:
        self.db.execute("DELETE FROM _doomed")

    def compact(self, *, merge: bool | None = None) -> bool:
        """After deletes: merge the full-text index (``merge``; by default
        only when this SQLite cannot delete tokens at once), so deleted
        tokens leave its segments, then checkpoint the WAL into the file.
        False when a reader kept the checkpoint from completing (the rest
        is written at the next one).

        On PostgreSQL: ``VACUUM`` of every table a deletion writes (outside
        any transaction), so the deleted rows' dead tuples leave the heap
        and the indexes now rather than at autovacuum's next pass; always
        True. ``merge`` has no meaning there (no FTS segments)."""
        if not isinstance(self.db, SqliteSql):
            return self._vacuum()
        if merge or (merge is None and not driver.FTS_SECURE_DELETE):
            fts.merge(self.db.database)
        row = self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        return row is None or int(row[0]) == 0

    def _vacuum(self) -> bool:
        if self.db.in_transaction:
            raise RuntimeError("compact() runs after the deletion's transaction commits")
        present = self.db.tables()
        touched = sorted({*self.tables(), *_ALSO_TOUCHED} & set(present)
                         | {t for t in present if t.startswith("rollup_")})
        # the deleting transactions' statistics first, so that VACUUM's own
        # dead-tuple count (pg_stat_user_tables) is the last word (the
        # function is PostgreSQL 15's; 13 and 14 flush on their own timer)
        if int(self.db.execute("SELECT current_setting('server_version_num')").fetchone()[0]
               ) >= 150000:
            self.db.execute("SELECT pg_stat_force_next_flush()")
        self.db.execute("VACUUM " + ", ".join(f'"{t}"' for t in touched))
        # VACUUM takes the deleted posts' entries out of the GIN index's
        # posting lists, but GIN never removes a key (a lexeme) from its entry
        # tree: a word only the deleted posts used would stay in the index's
        # pages. Rebuilding the index writes only the stored posts' words
        # (CONCURRENTLY: searches and collection go on meanwhile). Its cost
        # follows the whole index, as SQLite's FTS merge does.
        self.db.execute(f"REINDEX INDEX CONCURRENTLY {SEARCH_INDEX}")
        return True

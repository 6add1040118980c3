"""Moving a whole database between the backends (``listener db copy``,
issue 21): every table of ours, row for row, ids kept.

``Copying`` is one database's side of a copy, on either backend; the copy
reads the source in batches of ``batch`` rows in primary-key order (keyset
pages, so memory stays flat whatever the size), writes them to the target
in one transaction (a failure leaves the target as it was), then makes the
target's identity sequences continue after the largest id copied and counts
every table on both sides.

Not copied, because the target derives them itself: the full-text index
(SQLite's ``posts_fts`` and its shadow tables, kept by triggers as the posts
go in; PostgreSQL's generated ``posts.search``), the migration records (each
side's own), SQLite's ``sqlite_*`` tables. Rows a target makes by itself as
rows go in (the rollup queue's trigger) or at creation (``rollup_state``'s
seed) are replaced by the source's rows, table by table.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from storage.backend import Sql


class CopyError(RuntimeError):
    """The copy cannot start (a non-empty target, schemas that differ) or
    its counts disagree."""


@dataclass(frozen=True)
class TableCopy:
    table: str
    source: int
    target: int


# tables a freshly migrated database already has rows in
_SEEDED = frozenset({"rollup_state"})


def _derived(table: str) -> bool:
    return (table.startswith(("sqlite_", "_", "posts_fts")))


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


class Copying:
    """One database's side of a copy."""

    def __init__(self, sql: Sql) -> None:
        self.sql = sql

    # -- the schema, as a copy needs it -------------------------------------
    def tables(self) -> list[str]:
        """Every table to copy, parents before the tables that reference
        them (then by name)."""
        tables = [t for t in self.sql.tables() if not _derived(t)]
        parents = {t: set[str]() for t in tables}
        for child, parent in self._references():
            if child in parents and parent in parents and parent != child:
                parents[child].add(parent)
        ordered: list[str] = []
        while parents:
            ready = sorted(t for t, ps in parents.items() if not ps - set(ordered))
            if not ready:
                raise CopyError(f"foreign keys form a cycle among {sorted(parents)}")
            ordered += ready
            for t in ready:
                del parents[t]
        return ordered

    def _references(self) -> list[tuple[str, str]]:
        if self.sql.dialect == "sqlite":
            return [(t, str(r[2])) for t in self.sql.tables()
                    for r in self.sql.execute(f"PRAGMA foreign_key_list({_quote(t)})")]
        return [(str(r[0]), str(r[1])) for r in self.sql.execute(
            "SELECT c.relname, p.relname FROM pg_constraint k"
            " JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class p ON p.oid = k.confrelid"
            " WHERE k.contype = 'f' AND c.relnamespace = current_schema()::regnamespace")]

    def columns(self, table: str) -> list[str]:
        """The table's stored columns, in order (a generated column is not)."""
        if self.sql.dialect == "sqlite":
            return [str(r[1]) for r in self.sql.execute(f"PRAGMA table_xinfo({_quote(table)})")
                    if r[6] == 0]  # hidden: FTS or generated columns
        return [str(r[0]) for r in self.sql.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = ?"
            " AND table_schema = current_schema() AND is_generated = 'NEVER'"
            " ORDER BY ordinal_position", [table])]

    def key(self, table: str) -> list[str]:
        """The table's primary-key columns, in the key's order."""
        if self.sql.dialect == "sqlite":
            info = [(int(r[5]), str(r[1])) for r in
                    self.sql.execute(f"PRAGMA table_info({_quote(table)})") if r[5]]
            return [name for _, name in sorted(info)]
        return [str(r[0]) for r in self.sql.execute(
            "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid"
            " AND a.attnum = ANY (i.indkey) WHERE i.indrelid = ?::regclass AND i.indisprimary"
            " ORDER BY array_position(i.indkey::int2[], a.attnum)", [_quote(table)])]

    def count(self, table: str) -> int:
        return int(self.sql.execute(f"SELECT count(*) FROM {_quote(table)}").fetchone()[0])  # noqa: S608

    def holding_data(self) -> list[str]:
        """The tables with rows a fresh database would not have."""
        return [t for t in self.tables() if t not in _SEEDED and self.count(t)]

    # -- reading and writing ------------------------------------------------
    def batches(self, table: str, columns: list[str], batch: int,
                ) -> Iterator[list[tuple[Any, ...]]]:
        """The rows of ``table`` (``columns``), ``batch`` at a time, in key
        order: each page starts after the last key of the one before."""
        key = self.key(table)
        if not key:
            raise CopyError(f"table {table} has no primary key to page it by")
        cols = ", ".join(_quote(c) for c in columns)
        order = ", ".join(_quote(k) for k in key)
        at = [columns.index(k) for k in key]
        last: list[Any] | None = None
        while True:
            where, params = "", []
            if last is not None:
                marks = ", ".join("?" * len(key))
                where = f" WHERE ({order}) > ({marks})"
                params = last
            rows = [tuple(r) for r in self.sql.execute(
                f"SELECT {cols} FROM {_quote(table)}{where} ORDER BY {order} LIMIT ?",  # noqa: S608
                [*params, batch])]
            if not rows:
                return
            yield rows
            if len(rows) < batch:
                return
            last = [rows[-1][i] for i in at]

    def empty(self, table: str) -> None:
        self.sql.execute(f"DELETE FROM {_quote(table)}")  # noqa: S608

    def insert(self, table: str, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
        self.sql.copy_in(_quote(table), [_quote(c) for c in columns], rows)

    def advance_ids(self) -> None:
        """PostgreSQL: each identity column's sequence continues after the
        largest id now stored (ids were copied, not drawn from it). SQLite
        needs nothing: the next rowid is past the largest, and
        ``sqlite_sequence`` follows explicit ids."""
        if self.sql.dialect != "postgresql":
            return
        for table, column in [(str(r[0]), str(r[1])) for r in self.sql.execute(
                "SELECT table_name, column_name FROM information_schema.columns"
                " WHERE table_schema = current_schema() AND is_identity = 'YES'"
                " AND table_name NOT LIKE '\\_%'")]:
            self.sql.execute(
                f"SELECT setval(pg_get_serial_sequence(?, ?), coalesce(max({_quote(column)}),"  # noqa: S608
                f" 1), max({_quote(column)}) IS NOT NULL) FROM {_quote(table)}",
                [_quote(table), column])

    # -- the copy -----------------------------------------------------------
    def copy_to(self, target: Copying, *, replace: bool = False, batch: int = 5000,
                progress: Callable[[str, int], None] | None = None) -> list[TableCopy]:
        """Copy every table of this database into ``target``; returns each
        table's rows on both sides after (equal, or ``CopyError``).
        ``replace``: empty a target that holds data first (otherwise it is
        refused). ``progress(table, rows copied so far)`` after each batch."""
        tables = self.tables()
        missing = sorted(set(tables) - set(target.tables()))
        if missing:
            raise CopyError(f"the target lacks tables {', '.join(missing)}: is it the same "
                            "version of civic-listener?")
        holding = target.holding_data()
        if holding and not replace:
            raise CopyError(f"the target already holds data ({', '.join(holding[:5])}"
                            f"{', ...' if len(holding) > 5 else ''}); give --replace to "
                            "empty it first")
        plan = []
        for table in tables:
            columns = self.columns(table)
            absent = [c for c in columns if c not in target.columns(table)]
            if absent:
                raise CopyError(f"the target's {table} lacks columns {', '.join(absent)}")
            plan.append((table, columns))
        with target.sql.transaction():
            for table in reversed(tables):  # children first
                target.empty(table)
            for table, columns in plan:
                target.empty(table)  # rows the target's triggers made as parents went in
                done = 0
                for rows in self.batches(table, columns, batch):
                    target.insert(table, columns, rows)
                    done += len(rows)
                    if progress is not None:
                        progress(table, done)
            target.advance_ids()
        counts = [TableCopy(t, self.count(t), target.count(t)) for t in tables]
        wrong = [c for c in counts if c.source != c.target]
        if wrong:
            raise CopyError("rows differ after the copy: " + ", ".join(
                f"{c.table} {c.source} -> {c.target}" for c in wrong))
        return counts

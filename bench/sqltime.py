"""What the bench measures by reaching SQLite itself, from outside the code
under test (the one bench module that does, besides the bare-insert
baseline of ``store_throughput.py``):

- per-statement timings: a stand-in for a sqlite3 connection that times
  every statement (execute and the fetches after it) and can keep each
  statement's EXPLAIN QUERY PLAN, handed to ``Store.for_page`` as the web
  page's server hands its own connection, or swapped into an open store
  (``time_store``);
- the online backup exactly as the README's operators run it;
- the bytes of each table and index of a file (``dbstat``).

    store, timed = instrument(path, plans=True)
    ...                            # use the store as usual
    timed.print_top(15)
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from storage.driver import sqlite3

if TYPE_CHECKING:
    from storage import Store


def shape(sql: str) -> str:
    """A statement with its whitespace collapsed and long IN lists folded."""
    text = " ".join(sql.split())
    return re.sub(r"\?(, \?)+", "?, …", text)


@dataclass
class Stat:
    calls: int = 0
    wall: float = 0.0
    cpu: float = 0.0
    plan: list[str] = field(default_factory=list)


class _Cursor:
    def __init__(self, cursor: sqlite3.Cursor, stat: Stat) -> None:
        self._cursor, self._stat = cursor, stat

    def _timed(self, fn: Any) -> Any:
        t0, c0 = time.perf_counter(), time.process_time()
        try:
            return fn()
        finally:
            self._stat.wall += time.perf_counter() - t0
            self._stat.cpu += time.process_time() - c0

    def fetchall(self) -> list[Any]:
        return self._timed(self._cursor.fetchall)  # type: ignore[no-any-return]

    def fetchone(self) -> Any:
        return self._timed(self._cursor.fetchone)

    def __iter__(self) -> Iterator[Any]:
        return iter(self._timed(self._cursor.fetchall))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._cursor, name)


class Timed:
    def __init__(self, conn: sqlite3.Connection, *, plans: bool = False) -> None:
        self._conn, self._plans = conn, plans
        self.stats: dict[str, Stat] = {}

    def _stat(self, sql: str, params: Any) -> Stat:
        key = shape(sql)
        stat = self.stats.setdefault(key, Stat())
        if self._plans and not stat.plan and sql.lstrip().upper().startswith(
                ("SELECT", "INSERT", "WITH", "DELETE", "UPDATE")):
            try:
                stat.plan = [str(r[3]) for r in self._conn.execute(
                    "EXPLAIN QUERY PLAN " + sql, params)]
            except sqlite3.Error as exc:
                stat.plan = [f"(no plan: {exc})"]
        return stat

    def execute(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> _Cursor:
        stat = self._stat(sql, params)
        t0, c0 = time.perf_counter(), time.process_time()
        cursor = self._conn.execute(sql, params)
        stat.calls += 1
        stat.wall += time.perf_counter() - t0
        stat.cpu += time.process_time() - c0
        return _Cursor(cursor, stat)

    def executemany(self, sql: str, rows: Any) -> sqlite3.Cursor:
        rows = list(rows)
        stat = self._stat(sql, rows[0]) if rows else self._stat(sql, ())
        t0, c0 = time.perf_counter(), time.process_time()
        cursor = self._conn.executemany(sql, rows)
        stat.calls += 1
        stat.wall += time.perf_counter() - t0
        stat.cpu += time.process_time() - c0
        return cursor

    def __getattr__(self, name: str) -> Any:
        return getattr(self._conn, name)

    def print_top(self, n: int = 15, *, width: int = 150) -> None:
        total = sum(s.wall for s in self.stats.values())
        print(f"statements: {len(self.stats)} shapes, {total:.2f} s in SQLite (wall);"
              f" top {n} by wall time (calls, wall s, CPU s):")
        for sql, s in sorted(self.stats.items(), key=lambda kv: -kv[1].wall)[:n]:
            print(f"  {s.calls:5} {s.wall:8.2f} {s.cpu:8.2f}  {sql[:width]}")
            for line in s.plan:
                print(f"{'':26}plan: {line}")


def instrument(path: Path, *, plans: bool = False) -> tuple[Store, Timed]:
    """A read-only store over ``path`` whose every statement is timed (the
    connection is opened here, as the web page's server opens its own, and
    handed to ``Store.for_page``)."""
    from storage import Store

    conn = sqlite3.connect(f"file:{Path(path).resolve()}?mode=ro", uri=True,
                           check_same_thread=False)
    timed = Timed(conn, plans=plans)
    return Store.for_page(timed), timed  # type: ignore[arg-type]


def time_store(store: Store, *, plans: bool = False) -> Timed:
    """Time every statement of an open (writable) store from now on: its
    connection is swapped for a ``Timed`` one (forget and purge in
    ``bench/scale.py``)."""
    timed = Timed(store.db.conn, plans=plans)
    store.db.conn = timed  # type: ignore[assignment]
    return timed


def online_backup(source: Path, dest: Path) -> None:
    """The README's Python one-liner: ``sqlite3`` online backup of the file."""
    src, dst = sqlite3.connect(source), sqlite3.connect(dest)
    src.backup(dst)
    dst.close()
    src.close()


def object_sizes(path: Path, top: int = 16) -> list[tuple[str, int]]:
    """(table or index, bytes) of the largest objects in the file. Through
    the standard library's SQLite: the ``pysqlite3-binary`` build has no
    ``dbstat`` table, and page sizes read the same with either."""
    import sqlite3 as stdlib_sqlite3

    conn = stdlib_sqlite3.connect(f"file:{Path(path).resolve()}?mode=ro", uri=True)
    try:
        rows = conn.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name"
                            " ORDER BY 2 DESC LIMIT ?", [top]).fetchall()
    finally:
        conn.close()
    return [(str(name), int(size)) for name, size in rows]

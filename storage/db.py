"""Opening the one SQLite file: WAL, busy timeout, migrations."""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TypeVar

from sqlite_utils import Database

from storage import driver, migrations
from storage.driver import SQLITE_VERSION, sqlite3

T = TypeVar("T")
IN_CHUNK = 400  # values per IN (...) list, under SQLite's bound-parameter limit
VALUES_ROWS = 500  # rows per multi-row INSERT (``insert_values``)

BUSY_TIMEOUT_MS = 30_000
# Prepared statements the driver keeps per connection (its default: 128). A
# page's multi-row INSERTs and IN (...) reads have one SQL text per row count
# (``values_statements``, ``in_chunks``): 239 texts in a 20,705-post sample
# pass, up to about 1,000 with pages of up to 100 posts. With 128 the cache
# (least recently used out) cycled, and most of a page's statements were
# compiled again at every page (a 100-row posts INSERT with its triggers:
# about 0.7 ms). 1024 holds them all: about 30 MiB when every one of those
# texts is held (measured), 11 MiB more peak RSS in the sample pass.
STATEMENT_CACHE = 1024
TEMP_STORE_MEMORY = 2  # PRAGMA temp_store: 0 the build's default (a file), 1 file, 2 memory


def connect(path: str | Path, *, readonly: bool = False) -> Database:
    """Open the database file (creating its folder), set WAL and a busy
    timeout, and apply pending migrations unless opened read-only."""
    if str(path) == ":memory:":
        conn = sqlite3.connect(":memory:", check_same_thread=False,
                               cached_statements=STATEMENT_CACHE)
    elif readonly:
        uri = f"file:{Path(path).resolve()}?mode=ro"
        conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000,
                               check_same_thread=False, cached_statements=STATEMENT_CACHE)
    else:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000,
                               check_same_thread=False, cached_statements=STATEMENT_CACHE)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    if not readonly:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA foreign_keys = ON")
    # Deleted content is overwritten with zeros, so erased text leaves the file.
    conn.execute("PRAGMA secure_delete = ON")
    db = Database(conn)
    if not readonly:
        migrations.apply(db)
    return db


@contextlib.contextmanager
def write_transaction(db: Database, *, journal_in_memory: bool = False) -> Iterator[Database]:
    """One write transaction, taken with BEGIN IMMEDIATE so that a second
    writer waits on the busy timeout instead of failing half-way.

    ``journal_in_memory``: this transaction's statement journals are kept in
    memory (``_begin_in_memory``), for a transaction known to be small (one
    collected page); nothing to do where SQLite keeps every temporary file in
    memory anyway (``driver.TEMP_FILES_IN_MEMORY``: then neither ``temp_store``
    nor the connection's temporary tables are touched)."""
    if db.conn.in_transaction:
        with db.atomic():
            yield db
        return
    toggled = False
    if journal_in_memory and not driver.TEMP_FILES_IN_MEMORY:  # else in memory already
        toggled = _begin_in_memory(db.conn)
    else:
        db.conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")
        raise
    else:
        db.conn.execute("COMMIT")
    finally:
        if toggled and not db.conn.in_transaction and _temp_open(db.conn):
            _close_temp(db.conn)


def _begin_in_memory(conn: sqlite3.Connection) -> bool:
    """BEGIN IMMEDIATE with the statement journals of this transaction in
    memory. A statement that writes several rows through triggers (a page's
    multi-row ``INSERT INTO posts``: the FTS5 and rollup-queue triggers) keeps
    the original of every page it changes in a statement journal, so that it
    can be undone alone; past 64 KiB SQLite spills that journal to a new
    temporary file, written and deleted once per page (about 0.3 of 2.5 CPU s
    for 20,705 posts, ``docs/scale.md``). Whether the journal stays in memory
    is fixed when the write transaction begins (``temp_store`` then), so
    ``temp_store`` is MEMORY for the BEGIN only and set back at once: a
    purge's statements, whose journals would hold most of a month of posts,
    still spill to disk. The journal is never read after a crash (the WAL is),
    so durability is unchanged.

    Changing ``temp_store`` drops the connection's temporary tables when its
    temporary database is open (and cannot be done inside a transaction), so
    then the journal is left where ``temp_store`` puts it. Returns whether
    ``temp_store`` was changed: then the temporary database was closed at
    BEGIN, and a temporary table made during the transaction (the rollups'
    staged ids, re-made at each use) is dropped after it (``_close_temp``),
    so that the next page can keep its journal in memory again."""
    before = int(conn.execute("PRAGMA temp_store").fetchone()[0])
    if before == TEMP_STORE_MEMORY or _temp_open(conn):
        conn.execute("BEGIN IMMEDIATE")
        return False
    conn.execute(f"PRAGMA temp_store = {TEMP_STORE_MEMORY}")
    try:
        conn.execute("BEGIN IMMEDIATE")
    finally:
        conn.execute(f"PRAGMA temp_store = {before}")
    return True


def _temp_open(conn: sqlite3.Connection) -> bool:
    """Whether the connection's temporary database is open (it holds, or
    held, a temporary table): ``database_list`` lists it only then."""
    return any(row[1] == "temp" for row in conn.execute("PRAGMA database_list"))


def _close_temp(conn: sqlite3.Connection) -> None:
    """Close the temporary database (and drop its tables) outside a
    transaction: SQLite does so whenever ``temp_store`` changes."""
    before = int(conn.execute("PRAGMA temp_store").fetchone()[0])
    other = TEMP_STORE_MEMORY if before != TEMP_STORE_MEMORY else 1
    conn.execute(f"PRAGMA temp_store = {other}")
    conn.execute(f"PRAGMA temp_store = {before}")


def values_statements(head: str, rows: Sequence[Sequence[object]], tail: str,
                      max_params: int) -> Iterator[tuple[str, list[object]]]:
    """``{head} VALUES (...), (...), ... {tail}`` statements with their
    parameters covering ``rows``: at most ``VALUES_ROWS`` rows and
    ``max_params`` bound parameters each. ``tail`` is e.g. an ``ON
    CONFLICT`` clause."""
    if not rows:
        return
    width = len(rows[0])
    per = max(1, min(VALUES_ROWS, max_params // width))
    one = "(" + ", ".join("?" * width) + ")"
    for i in range(0, len(rows), per):
        chunk = rows[i:i + per]
        yield (f"{head} VALUES {', '.join([one] * len(chunk))}{tail}",
               list(itertools.chain.from_iterable(chunk)))


# What a NULL is bound as (``insert_values``). The driver binds None only
# after looking for an adapter for it and failing twice, each time raising
# and clearing an exception: about 3.5 µs per None with pysqlite3 (1.2 µs with
# the standard library's module), against 0.4 µs for an integer, and a page's
# post and conversation rows hold about 6 Nones per post. A float NaN binds at
# once (a float needs no adapter), and SQLite binds a NaN as NULL
# (``sqlite3_bind_double``: NaN is not a value SQLite stores): the row holds
# NULL exactly as if None had been bound; a test reads ``typeof`` back.
BIND_NULL = float("nan")


def insert_values(conn: sqlite3.Connection, head: str, rows: Sequence[Sequence[object]],
                  tail: str = "") -> None:
    """Every row in as few statements as SQLite's bound-parameter limit
    allows (``values_statements``). Not ``executemany``: that runs the
    statement once per row, and an FTS5 table written by a trigger
    (``posts_fts``) writes its pending terms out as a new segment at every
    statement of a transaction (the statement savepoint), so a page of posts
    made a segment per post for FTS5 to merge again. A None is bound as
    ``BIND_NULL``."""
    getlimit = getattr(conn, "getlimit", None)  # pysqlite3 has none: SQLite's default then
    limit = min(getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) if getlimit is not None
                else 32_766 if SQLITE_VERSION >= (3, 32, 0) else 999, 32_766)
    for sql, params in values_statements(head, rows, tail, limit):
        conn.execute(sql, [BIND_NULL if value is None else value for value in params])


def in_chunks(values: Sequence[T]) -> list[tuple[str, list[T]]]:
    """``values`` cut into pieces for ``IN (...)`` lists: (the placeholders,
    the piece) each; the values are bound, never written into the SQL."""
    return [(", ".join("?" * len(values[i:i + IN_CHUNK])), list(values[i:i + IN_CHUNK]))
            for i in range(0, len(values), IN_CHUNK)]

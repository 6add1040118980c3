"""Opening the one SQLite file: WAL, busy timeout, migrations."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TypeVar

from sqlite_utils import Database

from storage import migrations
from storage.driver import sqlite3

T = TypeVar("T")
IN_CHUNK = 400  # values per IN (...) list, under SQLite's bound-parameter limit

BUSY_TIMEOUT_MS = 30_000


def connect(path: str | Path, *, readonly: bool = False) -> Database:
    """Open the database file (creating its folder), set WAL and a busy
    timeout, and apply pending migrations unless opened read-only."""
    if str(path) == ":memory:":
        conn = sqlite3.connect(":memory:", check_same_thread=False)
    elif readonly:
        uri = f"file:{Path(path).resolve()}?mode=ro"
        conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000,
                               check_same_thread=False)
    else:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000,
                               check_same_thread=False)
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
def write_transaction(db: Database) -> Iterator[Database]:
    """One write transaction, taken with BEGIN IMMEDIATE so that a second
    writer waits on the busy timeout instead of failing half-way."""
    if db.conn.in_transaction:
        with db.atomic():
            yield db
        return
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")
        raise
    else:
        db.conn.execute("COMMIT")


def in_chunks(values: Sequence[T]) -> list[tuple[str, list[T]]]:
    """``values`` cut into pieces for ``IN (...)`` lists: (the placeholders,
    the piece) each; the values are bound, never written into the SQL."""
    return [(", ".join("?" * len(values[i:i + IN_CHUNK])), list(values[i:i + IN_CHUNK]))
            for i in range(0, len(values), IN_CHUNK)]

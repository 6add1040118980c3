"""The two backends behind one small handle (issue 21, docs/postgresql.md).

``Sql`` runs the same parameterised SQL on either backend:

- ``SqliteSql`` wraps the sqlite-utils ``Database`` the rest of storage uses
  (WAL, busy timeout, ``BEGIN IMMEDIATE`` writes: ``storage.db``);
- ``PgSql`` wraps one psycopg 3 connection taken from a ``psycopg_pool``
  pool, in autocommit mode, so that a read is its own statement and a write
  is an explicit transaction, as on SQLite.

The SQL is written once, in the subset both understand (``ON CONFLICT``,
``RETURNING``, ``IS DISTINCT FROM``, ``CASE`` instead of SQLite's scalar
``max(a, b)``), with SQLite's ``?`` and ``:name`` placeholders; ``PgSql``
rewrites those to psycopg's ``%s`` / ``%(name)s`` (``pg_placeholders``: a
scanner that leaves string literals, quoted names, comments and ``::``
casts alone). What cannot be written once (a temp table's schema, the full
text index, the catalogue) is a method here, chosen by ``dialect``.

The DSN is a secret (it may hold a password): it is read from the
environment variable the config names (``dsn_from_env``), never logged and
never put in an exception (``PgSql.open`` rewrites the driver's errors).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import logging
import os
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal, Protocol

from sqlite_utils import Database

from storage.db import insert_values, values_statements, write_transaction

if TYPE_CHECKING:
    import psycopg
    from psycopg_pool import ConnectionPool

Dialect = Literal["sqlite", "postgresql"]
Params = Sequence[Any] | Mapping[str, Any] | None

# One key for every write transaction on PostgreSQL: writers queue on it as
# they do on SQLite's write lock, so that save_page's read-merge-write stays
# correct with several collectors (finer, per-source locks: a later slice).
WRITE_LOCK = 0x63_69_76_69_63  # "civic"
# Session-level locks by name (``Sql.try_lock``) use the two-key advisory
# lock space (key 1: this constant, key 2: a stable hash of the name), which
# PostgreSQL keeps apart from the one-key space of the locks above.
NAMED_LOCKS = 0x63_69_76_6C  # "civl"
# PostgreSQL binds at most 65,535 parameters in one statement (its wire protocol counts them
# in 16 bits).
PG_MAX_PARAMS = 65_535


class Rows(Protocol):
    """What a statement gives back: a sqlite3 or a psycopg cursor."""

    @property
    def rowcount(self) -> int: ...

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...

    def __iter__(self) -> Iterator[Any]: ...


class BackendError(RuntimeError):
    """The backend cannot be opened (the message never holds the DSN)."""


class Sql:
    """One connection to one database, on either backend."""

    dialect: Dialect

    def execute(self, sql: str, params: Params = None) -> Rows:
        raise NotImplementedError

    def executemany(self, sql: str, rows: Sequence[Sequence[Any] | Mapping[str, Any]]) -> None:
        raise NotImplementedError

    def transaction(self, *, journal_in_memory: bool = False
                    ) -> contextlib.AbstractContextManager[None]:
        """A write transaction (a savepoint when one is open already).
        ``journal_in_memory``: a small transaction (one collected page) whose
        statement journals SQLite keeps in memory instead of a temporary file
        (``storage.db._begin_in_memory``; a temporary table made inside it is
        dropped after it); PostgreSQL has no statement journal and ignores it."""
        raise NotImplementedError

    @property
    def in_transaction(self) -> bool:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    def insert_id(self, sql: str, params: Params = None) -> int:
        """Run an INSERT and return the new row's ``id`` (RETURNING: both
        backends have it; psycopg has no ``lastrowid``)."""
        row = self.execute(f"{sql} RETURNING id", params).fetchone()
        return int(row[0])

    def insert_values(self, head: str, rows: Sequence[Sequence[Any]], tail: str = "") -> None:
        """``{head} VALUES (...), (...), ... {tail}`` for every row, in as few
        statements as the bound-parameter limit allows (``storage.db.insert_values``
        says why not ``executemany``); ``tail`` is e.g. an ``ON CONFLICT`` clause."""
        for sql, params in values_statements(head, rows, tail, PG_MAX_PARAMS):
            self.execute(sql, params)

    def copy_in(self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        """Append ``rows`` to ``table`` (both quoted by the caller): a
        multi-row INSERT on SQLite, ``COPY ... FROM STDIN`` on PostgreSQL
        (one round trip for the lot, several times faster than INSERTs)."""
        self.insert_values(f"INSERT INTO {table} ({', '.join(columns)})", rows)

    def temp(self, name: str) -> str:
        """The qualified name of this connection's temporary table ``name``."""
        return f"{'temp' if self.dialect == 'sqlite' else 'pg_temp'}.{name}"

    def tables(self) -> list[str]:
        """Every table of ours, sorted."""
        raise NotImplementedError

    def count_if(self, condition: str) -> str:
        """``count_if(self.dialect, condition)``."""
        return count_if(self.dialect, condition)

    def no_index(self, expr: str) -> str:
        """``expr`` kept from choosing an index: SQLite's unary ``+`` (its
        planner hint, which the report reads were tuned with); PostgreSQL has
        no such hint (and no unary plus on text): ``expr`` as it is."""
        return f"+{expr}" if self.dialect == "sqlite" else expr

    def join_in_order(self) -> str:
        """The join keyword that keeps the left table the outer loop: SQLite's
        ``CROSS JOIN`` (its documented way to fix the order, which the reads
        were tuned with); PostgreSQL accepts no ``ON`` after ``CROSS JOIN``
        and plans the order itself: a plain ``JOIN``."""
        return "CROSS JOIN" if self.dialect == "sqlite" else "JOIN"

    def stage_ids(self, name: str, ids: Sequence[int]) -> str:
        """This connection's temporary table ``name`` of one ``id`` column
        (the primary key), holding exactly ``ids`` (distinct); returns its
        qualified name. The caller holds the write transaction."""
        raise NotImplementedError

    @contextlib.contextmanager
    def try_lock(self, name: str) -> Iterator[bool]:
        """Hold the lock called ``name`` for the block, if no other process
        holds it: yields True when held, False when another has it (then
        nothing waits). SQLite: always True, as one process writes a file
        at a time (the service's instance lock). PostgreSQL: a session-level
        advisory lock, taken again by the same connection without waiting
        (and then released as many times), dropped by the server should the
        process die."""
        yield True


class SqliteSql(Sql):
    dialect: Dialect = "sqlite"

    def __init__(self, database: Database) -> None:
        self.database = database

    def execute(self, sql: str, params: Params = None) -> Rows:
        if isinstance(params, Mapping):
            return self.database.execute(sql, dict(params))
        return self.database.execute(sql, params if params is not None else [])

    def executemany(self, sql: str, rows: Sequence[Sequence[Any] | Mapping[str, Any]]) -> None:
        self.database.conn.executemany(sql, rows)

    def insert_values(self, head: str, rows: Sequence[Sequence[Any]], tail: str = "") -> None:
        insert_values(self.database.conn, head, rows, tail)

    @contextlib.contextmanager
    def transaction(self, *, journal_in_memory: bool = False) -> Iterator[None]:
        with write_transaction(self.database, journal_in_memory=journal_in_memory):
            yield

    @property
    def in_transaction(self) -> bool:
        return self.database.conn.in_transaction

    def close(self) -> None:
        self.database.conn.close()

    def tables(self) -> list[str]:
        return [str(r[0]) for r in self.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]

    def stage_ids(self, name: str, ids: Sequence[int]) -> str:
        # INTEGER PRIMARY KEY: the rowid itself (no second b-tree)
        table = self.temp(name)
        self.execute(f"CREATE TEMP TABLE IF NOT EXISTS {name} (id INTEGER PRIMARY KEY)")
        self.execute(f"DELETE FROM {table}")  # noqa: S608 - a name of ours
        self.executemany(f"INSERT INTO {table} (id) VALUES (?)",  # noqa: S608
                         [(i,) for i in ids])
        return table


@functools.lru_cache(maxsize=2048)
def pg_placeholders(sql: str) -> str:
    """SQLite's ``?`` and ``:name`` placeholders as psycopg's ``%s`` and
    ``%(name)s``; a literal ``%`` doubled. String literals, quoted names,
    ``--`` comments and ``::`` casts are copied as they are."""
    out: list[str] = []
    i, n = 0, len(sql)
    while i < n:
        ch = sql[i]
        if ch in "'\"":
            end = i + 1
            while end < n:
                if sql[end] == ch:
                    if end + 1 < n and sql[end + 1] == ch:  # '' inside a literal
                        end += 2
                        continue
                    break
                end += 1
            out.append(sql[i:end + 1].replace("%", "%%"))
            i = end + 1
        elif sql.startswith("--", i):
            end = sql.find("\n", i)
            end = n if end < 0 else end
            out.append(sql[i:end].replace("%", "%%"))
            i = end
        elif sql.startswith("::", i):
            out.append("::")
            i += 2
        elif ch == "?":
            out.append("%s")
            i += 1
        elif ch == ":" and (m := re.match(r":([A-Za-z_]\w*)", sql[i:])):
            out.append(f"%({m.group(1)})s")
            i += len(m.group(0))
        elif ch == "%":
            out.append("%%")
            i += 1
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def _pg_params(params: Params) -> Sequence[Any] | Mapping[str, Any]:
    if params is None:
        return ()
    if isinstance(params, Mapping):
        return params
    return tuple(params)


class PgSql(Sql):
    dialect: Dialect = "postgresql"

    def __init__(self, pool: ConnectionPool[Any], conn: psycopg.Connection[Any]) -> None:
        self.pool = pool
        self.conn = conn

    @classmethod
    def open(cls, dsn: str, *, env_name: str = "the DSN variable",
             max_size: int = 4) -> PgSql:
        """Connect (checking the DSN once, so that a wrong one fails at once
        and in words without the DSN), then keep a pool of connections."""
        import psycopg
        from psycopg_pool import ConnectionPool

        _install_log_filter(dsn)
        try:
            with psycopg.connect(dsn, connect_timeout=10):
                pass
        except (psycopg.Error, ValueError) as exc:  # the DSN's text may be in the message
            raise BackendError(
                f"cannot connect to PostgreSQL with the DSN in ${env_name}: "
                f"{scrub(str(exc), dsn)}") from None
        pool: ConnectionPool[Any] = ConnectionPool(
            dsn, min_size=1, max_size=max_size, open=True, name="civic-listener",
            kwargs={"autocommit": True})
        conn = pool.getconn()
        return cls(pool, conn)

    def execute(self, sql: str, params: Params = None) -> Rows:
        if params is None:  # sent as it is (the simple protocol: a script may hold several)
            return self.conn.execute(sql.encode())
        return self.conn.execute(pg_placeholders(sql).encode(), _pg_params(params))

    def executemany(self, sql: str, rows: Sequence[Sequence[Any] | Mapping[str, Any]]) -> None:
        if not rows:
            return
        with self.conn.cursor() as cur:
            cur.executemany(pg_placeholders(sql).encode(), [_pg_params(r) for r in rows])

    @contextlib.contextmanager
    def transaction(self, *, journal_in_memory: bool = False) -> Iterator[None]:
        outermost = not self.in_transaction
        with self.conn.transaction():
            if outermost:
                self.conn.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))
            yield

    @property
    def in_transaction(self) -> bool:
        from psycopg.pq import TransactionStatus

        return self.conn.info.transaction_status != TransactionStatus.IDLE

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.pool.putconn(self.conn)
        self.pool.close()

    def copy_in(self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        if not rows:
            return
        statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
        with self.conn.cursor() as cur, cur.copy(statement.encode()) as copy:
            for row in rows:
                copy.write_row(row)

    @contextlib.contextmanager
    def try_lock(self, name: str) -> Iterator[bool]:
        key = lock_key(name)
        row = self.conn.execute("SELECT pg_try_advisory_lock(%s, %s)",
                                (NAMED_LOCKS, key)).fetchone()
        held = bool(row and row[0])
        try:
            yield held
        finally:
            if held:
                with contextlib.suppress(Exception):  # a lost connection has dropped it
                    self.conn.execute("SELECT pg_advisory_unlock(%s, %s)", (NAMED_LOCKS, key))

    def tables(self) -> list[str]:
        return [str(r[0]) for r in self.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
            " ORDER BY tablename")]

    def stage_ids(self, name: str, ids: Sequence[int]) -> str:
        # BIGINT (post ids are 64-bit); the ids in one array parameter, one round trip
        table = self.temp(name)
        self.execute(f"CREATE TEMP TABLE IF NOT EXISTS {name} (id BIGINT PRIMARY KEY)")
        self.execute(f"DELETE FROM {table}")  # noqa: S608 - a name of ours
        self.execute(f"INSERT INTO {table} (id) SELECT unnest(?::bigint[])",
                     [list(ids)])
        return table


def count_if(dialect: Dialect, condition: str) -> str:
    """An aggregate counting the rows where ``condition`` holds (NULL or 0
    over no rows: read it as ``int(v or 0)``). SQLite sums the comparison
    (0 or 1), as its tuned report reads always did; PostgreSQL cannot sum
    a boolean, so counts with a FILTER."""
    if dialect == "sqlite":
        return f"sum({condition})"
    return f"count(*) FILTER (WHERE {condition})"


def lock_key(name: str) -> int:
    """A stable 32-bit signed key for the lock called ``name`` (the same in
    every process and on every machine, unlike Python's ``hash``)."""
    return int.from_bytes(hashlib.blake2b(name.encode(), digest_size=4).digest(), "big",
                          signed=True)


def scrub(message: str, dsn: str) -> str:
    """``message`` without the DSN, its password or any ``password=...``."""
    out = message.replace(dsn, "<DSN>") if dsn else message
    for secret in _passwords(dsn):
        out = out.replace(secret, "<password>")
    return re.sub(r"(password\s*=\s*)('[^']*'|\S+)", r"\1<password>", out, flags=re.I)


def _passwords(dsn: str) -> list[str]:
    found = re.findall(r"password\s*=\s*('[^']*'|\S+)", dsn, flags=re.I)
    url = re.match(r"postgres(?:ql)?://[^:/@]*:([^@]*)@", dsn)
    if url:
        found.append(url.group(1))
    return [p.strip("'") for p in found if p.strip("'")]


class _ScrubDsn(logging.Filter):
    """Keeps the DSN out of psycopg_pool's log lines (connection failures)."""

    def __init__(self, dsn: str) -> None:
        super().__init__()
        self.dsn = dsn

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = scrub(message, self.dsn)
        if clean != message:
            record.msg, record.args = clean, None
        return True


def dsn_from_env(name: str | None) -> str:
    """The DSN held by the environment variable ``name`` (config:
    ``storage.dsn_env``)."""
    if not name:
        raise BackendError("storage.backend is postgresql but storage.dsn_env names no "
                           "environment variable")
    dsn = os.environ.get(name, "").strip()
    if not dsn:
        raise BackendError(f"storage.dsn_env names ${name}, which is not set (it must hold "
                           "the PostgreSQL DSN, e.g. 'host=... dbname=... user=...')")
    _install_log_filter(dsn)
    return dsn


def _install_log_filter(dsn: str) -> None:
    for name in ("psycopg", "psycopg.pool"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, _ScrubDsn) and f.dsn == dsn for f in logger.filters):
            logger.addFilter(_ScrubDsn(dsn))

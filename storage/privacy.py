"""The SQL of privacy deletions and retention (erasure: ``privacy_erasure``;
deletion re-check bookkeeping: ``privacy_checks``).

Posts are deleted together with every row that refers to them: each table
with a ``post_id`` column (the known children, and any cache a later module
adds), the full-text index (by the ``posts_ad`` trigger), and then the index
is merged (FTS5 ``optimize``) so that the deleted tokens leave its segments.
The connection runs with ``secure_delete`` on, so freed pages are zeroed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from storage.db import write_transaction

if TYPE_CHECKING:
    from sqlite3 import Connection

    from storage.store import Store

Counts = dict[str, int]


def post_tables(conn: Connection) -> list[str]:
    """Every table (other than posts) with a ``post_id`` column."""
    names = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        " AND name NOT LIKE 'posts_fts%' AND name != 'posts' ORDER BY name")]
    return [n for n in names
            if any(col[1] == "post_id" for col in conn.execute(f'PRAGMA table_info("{n}")'))]


def stage(conn: Connection, where: str, params: Sequence[Any] | dict[str, Any]) -> int:
    """Put the ids of the posts matching ``where`` in the temp table ``_doomed``."""
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS _doomed (id INTEGER PRIMARY KEY)")
    conn.execute("DELETE FROM _doomed")
    # ``where`` is one of this module's constant clauses; values are bound
    conn.execute(f"INSERT INTO _doomed (id) SELECT id FROM posts WHERE {where}",  # noqa: S608
                 params)
    return int(conn.execute("SELECT count(*) FROM _doomed").fetchone()[0])


def count_staged(conn: Connection) -> Counts:
    counts: Counts = {"posts": int(conn.execute("SELECT count(*) FROM _doomed").fetchone()[0])}
    for table in post_tables(conn):
        counts[table] = int(conn.execute(
            f'SELECT count(*) FROM "{table}" WHERE post_id IN (SELECT id FROM _doomed)'  # noqa: S608
        ).fetchone()[0])
    counts["posts_fts"] = counts["posts"]
    return counts


def delete_staged(conn: Connection) -> None:
    for table in post_tables(conn):
        # table names come from sqlite_master, not from input
        conn.execute(f'DELETE FROM "{table}" WHERE post_id IN (SELECT id FROM _doomed)')  # noqa: S608
    conn.execute("DELETE FROM posts WHERE id IN (SELECT id FROM _doomed)")
    conn.execute("DELETE FROM _doomed")


def merge_counts(a: Counts, b: Counts) -> Counts:
    return {k: a.get(k, 0) + b.get(k, 0) for k in sorted(set(a) | set(b))}


# -- retention ---------------------------------------------------------------

def purge_expired(store: Store, *, posts_before: str, raw_before: str,
                  dry_run: bool = False) -> Counts:
    """Delete posts created before ``posts_before`` (with every row and index
    entry of theirs) and raw payloads and quarantined items received before
    ``raw_before``. Returns the rows removed (or, with ``dry_run``, the rows
    that would be), per table."""
    with write_transaction(store.db):
        conn = store.db.conn
        stage(conn, "created_at < ?", [posts_before])
        counts = count_staged(conn)
        raw_extra = int(conn.execute(
            "SELECT count(*) FROM raw_payloads WHERE retrieved_at < ?"
            " AND post_id NOT IN (SELECT id FROM _doomed)", [raw_before]).fetchone()[0])
        counts["raw_payloads"] = counts.get("raw_payloads", 0) + raw_extra
        counts["quarantine"] = int(conn.execute(
            "SELECT count(*) FROM quarantine WHERE received_at < ?", [raw_before]).fetchone()[0])
        if dry_run:
            conn.execute("DELETE FROM _doomed")
            return counts
        delete_staged(conn)
        conn.execute("DELETE FROM raw_payloads WHERE retrieved_at < ?", [raw_before])
        conn.execute("DELETE FROM quarantine WHERE received_at < ?", [raw_before])
    if counts["posts"] or raw_extra or counts["quarantine"]:
        compact(store)
    return counts


def compact(store: Store) -> bool:
    """Merge the full-text index so deleted tokens leave its segments, then
    checkpoint the WAL into the file. False when a reader kept the checkpoint
    from completing (the rest is written at the next checkpoint)."""
    with write_transaction(store.db):
        store.db.conn.execute("INSERT INTO posts_fts (posts_fts) VALUES ('optimize')")
    row = store.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    return row is None or int(row[0]) == 0

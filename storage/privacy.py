"""Every SQL statement of privacy: retention purge, erasure, block lists and
the bookkeeping of platform deletion re-checks.

Posts are deleted together with every row that refers to them: each table
with a ``post_id`` column (the known children, and any cache a later module
adds), the full-text index (by the ``posts_ad`` trigger), and then the index
is merged (FTS5 ``optimize``) so that the deleted tokens leave its segments.
The connection runs with ``secure_delete`` on, so freed pages are zeroed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from storage.db import utcnow, write_transaction

if TYPE_CHECKING:
    from sqlite3 import Connection

    from storage.store import Store

Counts = dict[str, int]

# A post by someone else whose text is exactly one of the erased author's
# texts (a repost) is a copy of their words and goes with them; shorter texts
# ("yes", "same") are too common to be a copy.
COPY_MIN_CHARS = 30


def post_hash(platform: str, native_id: str) -> str:
    return hashlib.sha256(f"{platform}:{native_id}".encode()).hexdigest()[:32]


def post_tables(conn: Connection) -> list[str]:
    """Every table (other than posts) with a ``post_id`` column."""
    names = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        " AND name NOT LIKE 'posts_fts%' AND name != 'posts' ORDER BY name")]
    return [n for n in names
            if any(col[1] == "post_id" for col in conn.execute(f'PRAGMA table_info("{n}")'))]


def _stage(conn: Connection, where: str, params: Sequence[Any] | dict[str, Any]) -> int:
    """Put the ids of the posts matching ``where`` in the temp table ``_doomed``."""
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS _doomed (id INTEGER PRIMARY KEY)")
    conn.execute("DELETE FROM _doomed")
    # ``where`` is one of this module's constant clauses; values are bound
    conn.execute(f"INSERT INTO _doomed (id) SELECT id FROM posts WHERE {where}",  # noqa: S608
                 params)
    return int(conn.execute("SELECT count(*) FROM _doomed").fetchone()[0])


def _count_staged(conn: Connection) -> Counts:
    counts: Counts = {"posts": int(conn.execute("SELECT count(*) FROM _doomed").fetchone()[0])}
    for table in post_tables(conn):
        counts[table] = int(conn.execute(
            f'SELECT count(*) FROM "{table}" WHERE post_id IN (SELECT id FROM _doomed)'  # noqa: S608
        ).fetchone()[0])
    counts["posts_fts"] = counts["posts"]
    return counts


def _delete_staged(conn: Connection) -> None:
    for table in post_tables(conn):
        # table names come from sqlite_master, not from input
        conn.execute(f'DELETE FROM "{table}" WHERE post_id IN (SELECT id FROM _doomed)')  # noqa: S608
    conn.execute("DELETE FROM posts WHERE id IN (SELECT id FROM _doomed)")
    conn.execute("DELETE FROM _doomed")


def _merge(a: Counts, b: Counts) -> Counts:
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
        _stage(conn, "created_at < ?", [posts_before])
        counts = _count_staged(conn)
        raw_extra = int(conn.execute(
            "SELECT count(*) FROM raw_payloads WHERE retrieved_at < ?"
            " AND post_id NOT IN (SELECT id FROM _doomed)", [raw_before]).fetchone()[0])
        counts["raw_payloads"] = counts.get("raw_payloads", 0) + raw_extra
        counts["quarantine"] = int(conn.execute(
            "SELECT count(*) FROM quarantine WHERE received_at < ?", [raw_before]).fetchone()[0])
        if dry_run:
            conn.execute("DELETE FROM _doomed")
            return counts
        _delete_staged(conn)
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


# -- erasure -----------------------------------------------------------------

def author_post_count(store: Store, platform: str, author_key: str) -> int:
    return int(store.db.execute(
        "SELECT count(*) FROM posts WHERE platform = ? AND author_key = ?",
        [platform, author_key]).fetchone()[0])


def quarantine_payloads(store: Store, platform: str) -> Iterator[tuple[int, str]]:
    """(id, payload) of the quarantined items of ``platform``."""
    for row in store.db.execute(
            "SELECT id, payload FROM quarantine WHERE platform = ? ORDER BY id", [platform]):
        yield int(row[0]), str(row[1])


def forget_author(store: Store, platform: str, author_key: str,
                  quarantine_ids: Sequence[int] = ()) -> Counts:
    """Remove every post of the pseudonymous author on ``platform``, verbatim
    copies of their texts on that platform (reposts, ``COPY_MIN_CHARS``), every row and index
    entry of those posts and the given quarantined items; block the pseudonym
    from future collection. One transaction."""
    with write_transaction(store.db):
        conn = store.db.conn
        own = author_post_count(store, platform, author_key)
        _stage(conn, "platform = :p AND (author_key = :k OR (length(text) >= :n AND text IN"
               " (SELECT text FROM posts WHERE platform = :p AND author_key = :k)))",
               {"p": platform, "k": author_key, "n": COPY_MIN_CHARS})
        counts = _count_staged(conn)
        counts["reposts_of_their_text"] = counts["posts"] - own
        _delete_staged(conn)
        counts["quarantine"] = _delete_quarantine(conn, quarantine_ids)
        cur = conn.execute("INSERT OR IGNORE INTO blocked_authors (author_key, added_at)"
                           " VALUES (?, ?)", [author_key, utcnow()])
        counts["blocked_authors"] = int(cur.rowcount)
    counts["compacted"] = int(compact(store))
    return counts


def _delete_quarantine(conn: Connection, ids: Sequence[int]) -> int:
    removed = 0
    for qid in ids:
        removed += int(conn.execute("DELETE FROM quarantine WHERE id = ?", [qid]).rowcount)
    return removed


def find_posts(store: Store, *, url: str | None = None, platform: str | None = None,
               native_ids: Sequence[str] = (), native_id_like: str | None = None
               ) -> list[tuple[int, str, str]]:
    """(id, platform, native_id) of posts with this url, or on ``platform``
    with one of ``native_ids`` or a native id LIKE ``native_id_like``."""
    clauses: list[str] = []
    params: list[Any] = []
    if url is not None:
        clauses.append("url = ?")
        params.append(url)
    if platform is not None and native_ids:
        clauses.append(f"(platform = ? AND native_id IN ({','.join('?' * len(native_ids))}))")
        params += [platform, *native_ids]
    if platform is not None and native_id_like is not None:
        clauses.append("(platform = ? AND native_id LIKE ?)")
        params += [platform, native_id_like]
    if not clauses:
        return []
    rows = store.db.execute(
        f"SELECT id, platform, native_id FROM posts WHERE {' OR '.join(clauses)}"  # noqa: S608
        " ORDER BY id",
        params).fetchall()
    return [(int(r[0]), str(r[1]), str(r[2])) for r in rows]


def forget_posts(store: Store, post_ids: Sequence[int], *, block: bool = True,
                 compact_after: bool = True) -> Counts:
    """Remove these posts with every row and index entry of theirs and,
    with ``block``, keep them from being collected again."""
    counts: Counts = {}
    with write_transaction(store.db):
        conn = store.db.conn
        for pid in post_ids:
            row = conn.execute("SELECT platform, native_id FROM posts WHERE id = ?",
                               [pid]).fetchone()
            if row is None:
                continue
            _stage(conn, "id = ?", [pid])
            counts = _merge(counts, _count_staged(conn))
            _delete_staged(conn)
            if block:
                cur = conn.execute(
                    "INSERT OR IGNORE INTO blocked_posts (post_hash, added_at) VALUES (?, ?)",
                    [post_hash(str(row[0]), str(row[1])), utcnow()])
                counts["blocked_posts"] = counts.get("blocked_posts", 0) + int(cur.rowcount)
    if counts.get("posts") and compact_after:
        counts["compacted"] = int(compact(store))
    return counts


def block_post(store: Store, platform: str, native_id: str) -> int:
    """Block a post not (or no longer) stored from being collected; 1 if new."""
    with write_transaction(store.db):
        cur = store.db.conn.execute(
            "INSERT OR IGNORE INTO blocked_posts (post_hash, added_at) VALUES (?, ?)",
            [post_hash(platform, native_id), utcnow()])
    return int(cur.rowcount)


def blocked_post_hashes(conn: Connection) -> set[str]:
    return {str(r[0]) for r in conn.execute("SELECT post_hash FROM blocked_posts")}


# -- platform deletion re-checks ---------------------------------------------

def posts_due_for_check(store: Store, platform: str, *, collected_after: str,
                        checked_before: str, limit: int) -> list[tuple[int, str, str | None]]:
    """(id, native_id, url) of posts on ``platform`` collected since
    ``collected_after`` that were never re-checked (oldest collected first),
    then those last checked before ``checked_before`` (least recently first)."""
    rows = store.db.execute(
        "SELECT id, native_id, url FROM posts WHERE platform = ? AND collected_at >= ?"
        " AND (checked_at IS NULL OR checked_at < ?)"
        " ORDER BY checked_at IS NOT NULL, COALESCE(checked_at, collected_at), id LIMIT ?",
        [platform, collected_after, checked_before, limit]).fetchall()
    return [(int(r[0]), str(r[1]), r[2]) for r in rows]


def mark_checked(store: Store, post_ids: Sequence[int], when: str) -> None:
    with write_transaction(store.db):
        store.db.conn.executemany("UPDATE posts SET checked_at = ? WHERE id = ?",
                                  [(when, pid) for pid in post_ids])


def overdue_first_checks(store: Store, platform: str, collected_before: str) -> int:
    """Posts on ``platform`` never re-checked and collected before the cut-off."""
    return int(store.db.execute(
        "SELECT count(*) FROM posts WHERE platform = ? AND checked_at IS NULL"
        " AND collected_at < ?", [platform, collected_before]).fetchone()[0])


def platforms_stored(store: Store) -> list[str]:
    return [str(r[0]) for r in store.db.execute(
        "SELECT DISTINCT platform FROM posts ORDER BY platform")]

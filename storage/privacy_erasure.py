"""The SQL of erasure and objection: removing an author's or a post's rows,
and the author and post block lists that keep them from being collected
again."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from storage.db import utcnow, write_transaction
from storage.privacy import Counts, compact, count_staged, delete_staged, merge_counts, stage

if TYPE_CHECKING:
    from sqlite3 import Connection

    from storage.store import Store

def post_hash(platform: str, native_id: str) -> str:
    return hashlib.sha256(f"{platform}:{native_id}".encode()).hexdigest()[:32]


# X payloads that reference one of the author's tweets (``:p``/``:k``): the
# raw payload of a retweet, quote or reply holds the referenced tweet's text
# in ``includes.tweets``, and a retweet's post text *is* the author's text.
_REFERENCING = (
    "SELECT r.post_id FROM raw_payloads r, json_each(r.payload, '$.tweet.referenced_tweets') j"
    " WHERE :p = 'x' AND json_extract(j.value, '$.type') IN ({types})"
    " AND json_extract(j.value, '$.id') IN"
    " (SELECT native_id FROM posts WHERE platform = :p AND author_key = :k)")

_AUTHOR_AND_COPIES = (
    "platform = :p AND (author_key = :k OR id IN ("
    + _REFERENCING.format(types="'retweeted'") + "))")
_QUOTING = _REFERENCING.format(types="'quoted', 'replied_to'")


def author_post_urls(store: Store, platform: str, author_key: str) -> list[str]:
    """URLs of the posts ``forget_author`` would remove."""
    return [str(r[0]) for r in store.db.execute(
        f"SELECT url FROM posts WHERE {_AUTHOR_AND_COPIES} AND url IS NOT NULL",  # noqa: S608
        {"p": platform, "k": author_key})]


def post_urls(store: Store, post_ids: Sequence[int]) -> list[str]:
    return [str(r[0]) for pid in post_ids for r in store.db.execute(
        "SELECT url FROM posts WHERE id = ? AND url IS NOT NULL", [pid])]


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
    """Remove every post of the pseudonymous author on ``platform`` and (X) the
    retweets of them, every row and index entry of those posts, the raw
    payloads of others' quotes of and replies to them (which hold their text),
    and the given quarantined items; block the pseudonym from future
    collection. One transaction."""
    with write_transaction(store.db):
        conn = store.db.conn
        who = {"p": platform, "k": author_key}
        own = author_post_count(store, platform, author_key)
        stage(conn, _AUTHOR_AND_COPIES, who)
        counts = count_staged(conn)
        counts["retweets_of_them"] = counts["posts"] - own
        quoting = [int(r[0]) for r in conn.execute(_QUOTING, who)]
        delete_staged(conn)
        counts["raw_payloads_quoting_them"] = sum(
            conn.execute("DELETE FROM raw_payloads WHERE post_id = ?", [pid]).rowcount
            for pid in quoting)
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
            stage(conn, "id = ?", [pid])
            counts = merge_counts(counts, count_staged(conn))
            delete_staged(conn)
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

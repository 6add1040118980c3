"""The full-text index's erasure guarantee: once a post is deleted, no
search finds it, and none of its tokens is left in the index's own storage
(its segments in ``posts_fts_data``): at once for a small erasure, after the
next merge for a large one.

FTS5 on an external-content table records a delete as a marker in a new
segment; the post's tokens stay in the older segment that indexed them
until that segment is merged. Three ways to make them go:

- ``secure-delete`` (SQLite 3.42 and later, ``storage.driver``): each
  delete takes the post's entries out of the segments there and then. It
  looks each (term, post) up in every segment and rewrites the leaf page
  that holds it, so its cost follows the posts deleted times the segments,
  and at 10M posts it rewrites most of the index's pages for an author's
  5,000 posts spread over a year (15-20 CPU s; docs/scale.md). Used for
  erasures of up to ``AT_ONCE_LIMIT`` posts (``deleting_at_once``): a post
  or a thread (``forget --url``), the platform deletion sync's batches.
  Once used, the file's index is FTS5 format 5, which a SQLite older than
  3.42 refuses to read;
  ``INSERT INTO posts_fts (posts_fts) VALUES ('rebuild')`` with such a
  SQLite writes it in the old format again.
- ``optimize`` (any SQLite): merge the whole index into one segment after
  the deletes (``merge``); its cost grows with everything indexed, but it
  is cheaper than secure deletes for a retention purge's month of posts
  (docs/scale.md has the measures).
- deferred: a larger erasure (an author's posts) deletes plainly, so no
  search finds the posts from its commit on, and records in ``fts_pending``
  (same transaction) how many posts' tokens are left in the segments. The
  next ``merge`` (the retention purge's, run by the daily housekeeping, or
  ``listener purge``) rewrites the index without them and empties
  ``fts_pending``. ``listener status`` shows what is waiting.

A month's purge deletes the posts' entries in one statement instead of
through the ``posts_ad`` trigger row by row (``deleting_in_bulk``): the
trigger is dropped and written again inside the purge's transaction, and the
statement is the trigger's own body read from the schema, run over the
staged posts (a tenth less time for the posts' delete at 1M posts).
"""

from __future__ import annotations

import contextlib
import re
from collections import Counter
from collections.abc import Iterator
from typing import NamedTuple

from sqlite_utils import Database

from storage import driver
from storage.db import write_transaction
from storage.driver import sqlite3
from storage.timefmt import utcnow

_SET = "INSERT INTO posts_fts (posts_fts, rank) VALUES ('secure-delete', ?)"

# Erasures of more posts than this leave their tokens to the next merge
# (``defer``). A secure delete costs about 3-4 ms a post at 10M posts (14
# segments), about 0.5 ms at 1M (docs/scale.md), so an erasure at the limit
# stays near a second at 10M, while an author's 5,000 posts took a minute.
AT_ONCE_LIMIT = 250


class Pending(NamedTuple):
    posts: int  # posts whose tokens wait for the next merge
    since: str | None  # UTC ISO time of the oldest such erasure


def defer(db: Database, posts: int) -> None:
    """In an erasure's transaction, after its plain deletes: record that
    ``posts`` posts' tokens are left in the index's segments until the next
    ``merge``."""
    if posts:
        db.execute("INSERT INTO fts_pending (erased_at, posts) VALUES (?, ?)",
                   [utcnow(), posts])


def pending(db: Database) -> Pending:
    """What erasures left for the next ``merge`` to take out of the index."""
    posts, since = db.execute("SELECT coalesce(sum(posts), 0), min(erased_at)"
                              " FROM fts_pending").fetchone()
    return Pending(int(posts), since)


@contextlib.contextmanager
def deleting_at_once(db: Database, posts: int = 1) -> Iterator[bool]:
    """Around the deletes of ``posts`` posts, in the caller's write
    transaction: where this SQLite has ``secure-delete``, the deleted posts'
    tokens leave the index with them. Yields whether they do (if not,
    ``merge`` afterwards)."""
    if not driver.FTS_SECURE_DELETE:  # read at call time: tests force the fallback
        yield False
        return
    drop_samples(db)
    merge_crowded_levels(db, posts)
    db.execute(_SET, [1])
    try:
        yield True
    finally:
        db.execute(_SET, [0])


def drop_samples(db: Database) -> int:
    """Delete ``ANALYZE``'s samples of the index's own tables (``sqlite_stat4``,
    kept by a SQLite built with STAT4, as the pysqlite3 wheel is) and make
    the connection read its statistics again. Returns the samples deleted.

    With samples of ``posts_fts_idx``, SQLite prepares FTS5's look-up of a
    term in a segment (``... WHERE segid = ? AND term <= ?``) again each
    time a value is bound, to choose its plan by the value: a secure delete
    looks each (term, post) up in every segment, so an erasure's flush
    parsed and planned that statement about a million times (5,000 posts,
    12 segments: 16.5 CPU s at 1M posts, 4.1 without the samples;
    docs/scale.md). Only FTS5's own statements read these tables, with
    bound values, so the samples serve nothing. ``sqlite_stat1``'s rows
    stay."""
    if db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table'"
                  " AND name = 'sqlite_stat4'").fetchone() is None:
        return 0
    gone = int(db.execute("DELETE FROM sqlite_stat4 WHERE tbl LIKE 'posts\\_fts\\_%'"
                          " ESCAPE '\\'").rowcount)
    if gone:
        db.execute("ANALYZE sqlite_master")  # the statistics read again, without them
    return gone


# A secure delete looks each (term, post) up in every segment: at 1M posts about
# 2.5 us a look-up, 18 terms a post, so a segment fewer saves about 45 us per
# erased post; merging costs about 160 us per leaf page (0.44 CPU s for 2,700).
_PAGES_PER_POST_AND_SEGMENT = 0.25


def merge_crowded_levels(db: Database, posts: int) -> int:
    """Before the secure deletes of ``posts`` posts: merge the segments of
    each level that holds several (FTS5 ``merge`` with ``usermerge`` 2), when
    that rewrites fewer pages than the look-ups it saves are worth
    (``_PAGES_PER_POST_AND_SEGMENT``): an author's thousands of posts, not one
    post. Collection leaves ten to twenty segments (FTS5's automerge merges
    four of a level at a time), most of them small; a merged index is one.
    Returns the pages given to the merge (0: none ran)."""
    found = segments(db)
    per_level = Counter(s.level for s in found)
    crowded = [s for s in found if per_level[s.level] > 1]
    fewer = len(crowded) - len({s.level for s in crowded})
    pages = sum(s.leaves for s in crowded)
    if not fewer or pages > posts * fewer * _PAGES_PER_POST_AND_SEGMENT:
        return 0
    db.execute("INSERT INTO posts_fts (posts_fts, rank) VALUES ('usermerge', 2)")
    db.execute("INSERT INTO posts_fts (posts_fts, rank) VALUES ('merge', ?)", [pages])
    return pages


def merge(db: Database) -> None:
    """Merge the whole index into one segment (FTS5 ``optimize``): tokens
    of posts deleted without ``deleting_at_once`` leave its segments, and
    the erasures waiting for that (``pending``) are done."""
    with write_transaction(db):
        db.execute("INSERT INTO posts_fts (posts_fts) VALUES ('optimize')")
        db.execute("DELETE FROM fts_pending")


_TRIGGER = "posts_ad"
# the trigger as storage.migrations writes it: one INSERT ... VALUES (...) of old.*
_BODY = re.compile(r"^CREATE TRIGGER posts_ad AFTER DELETE ON posts BEGIN\s+"
                   r"(INSERT INTO posts_fts \([^)]*\))\s+VALUES\s*\(([^;]*)\);\s*END$",
                   re.DOTALL)


@contextlib.contextmanager
def deleting_in_bulk(db: Database, staged: str) -> Iterator[None]:
    """Around the delete of the posts ``staged`` (a SELECT of their ids), in
    the caller's write transaction: their entries leave the index in one
    statement first, and the row-by-row trigger is off for the delete (it
    is written again, as it was, before the transaction ends). Where the
    trigger is not the one expected, the trigger does the work."""
    row = db.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?",
                     [_TRIGGER]).fetchone()
    found = _BODY.match(str(row[0])) if row is not None else None
    if row is None or found is None:
        yield
        return
    head, values = found.groups()
    # the trigger's own INSERT over the staged posts, ``old`` naming each row
    db.execute(f"{head} SELECT {values} FROM posts AS old WHERE old.id IN ({staged})")  # noqa: S608
    db.execute(f"DROP TRIGGER {_TRIGGER}")
    try:
        yield
    finally:
        db.execute(str(row[0]))


class Segment(NamedTuple):
    level: int
    id: int
    leaves: int  # leaf pages


_V2 = b"\xff\x00\x00\x01"  # the structure record's mark of FTS5 format 5 (secure-delete)


def segments(conn: sqlite3.Connection | Database) -> list[Segment]:
    """The index's segments, oldest level first, from FTS5's structure
    record (``posts_fts_data`` id 10; its layout is sqlite's
    ``fts5_index.c``, "structure record": a 4-byte cookie, the V2 mark, then
    varints: levels, segments, write counter, and per level the segments
    in merge, the segments, and per segment its id, first and last leaf
    page, and in V2 five more). A secure delete or a search seeks each
    term in every segment that may hold it."""
    row = conn.execute("SELECT block FROM posts_fts_data WHERE id = 10").fetchone()
    if row is None:
        return []
    data, at = bytes(row[0]), 4
    v2 = data[at:at + 4] == _V2
    at += 4 if v2 else 0

    def varint() -> int:  # SQLite's: big-endian, 7 bits a byte, the ninth byte whole
        nonlocal at
        value = 0
        for k in range(9):
            byte = data[at]
            at += 1
            if k == 8:
                return (value << 8) | byte
            value = (value << 7) | (byte & 0x7F)
            if byte < 0x80:
                break
        return value

    levels, _, _ = varint(), varint(), varint()
    found: list[Segment] = []
    for level in range(levels):
        varint()  # segments in an ongoing merge
        for _ in range(varint()):
            seg, first, last = varint(), varint(), varint()
            if v2:
                for _ in range(5):  # origins, tombstone pages and entries, entries
                    varint()
            found.append(Segment(level, seg, last - first + 1))
    return found

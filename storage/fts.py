"""The full-text index's erasure guarantee: once a post is deleted, none
of its tokens is left in the index's own storage (its segments in
``posts_fts_data``), not only out of search results.

FTS5 on an external-content table records a delete as a marker in a new
segment; the post's tokens stay in the older segment that indexed them
until that segment is merged. Two ways to make them go:

- ``secure-delete`` (SQLite 3.42 and later, ``storage.driver``): each
  delete takes the post's entries out of the segments there and then, so
  the cost follows the posts deleted, not the size of the index. Used for
  erasure and the platform deletion sync (``deleting_at_once``), whose
  batches are small next to the index. Once used, the file's index is
  FTS5 format 5, which a SQLite older than 3.42 refuses to read;
  ``INSERT INTO posts_fts (posts_fts) VALUES ('rebuild')`` with such a
  SQLite writes it in the old format again.
- ``optimize`` (any SQLite): merge the whole index into one segment after
  the deletes (``merge``); its cost grows with everything indexed, but it
  is cheaper than secure deletes for a retention purge's month of posts
  (docs/scale.md has the measures).

A month's purge deletes the posts' entries in one statement instead of
through the ``posts_ad`` trigger row by row (``deleting_in_bulk``): the
trigger is dropped and written again inside the purge's transaction, and the
statement is the trigger's own body read from the schema, run over the
staged posts (a tenth less time for the posts' delete at 1M posts).
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator

from sqlite_utils import Database

from storage import driver
from storage.db import write_transaction

_SET = "INSERT INTO posts_fts (posts_fts, rank) VALUES ('secure-delete', ?)"


@contextlib.contextmanager
def deleting_at_once(db: Database) -> Iterator[bool]:
    """Around deletes, in the caller's write transaction: where this SQLite
    has ``secure-delete``, the deleted posts' tokens leave the index with
    them. Yields whether they do (if not, ``merge`` afterwards)."""
    if not driver.FTS_SECURE_DELETE:  # read at call time: tests force the fallback
        yield False
        return
    db.execute(_SET, [1])
    try:
        yield True
    finally:
        db.execute(_SET, [0])


def merge(db: Database) -> None:
    """Merge the whole index into one segment (FTS5 ``optimize``): tokens
    of posts deleted without ``deleting_at_once`` leave its segments."""
    with write_transaction(db):
        db.execute("INSERT INTO posts_fts (posts_fts) VALUES ('optimize')")


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

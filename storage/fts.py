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
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from sqlite_utils import Database

from storage.db import write_transaction
from storage.driver import FTS_SECURE_DELETE

_SET = "INSERT INTO posts_fts (posts_fts, rank) VALUES ('secure-delete', ?)"


@contextlib.contextmanager
def deleting_at_once(db: Database) -> Iterator[bool]:
    """Around deletes, in the caller's write transaction: where this SQLite
    has ``secure-delete``, the deleted posts' tokens leave the index with
    them. Yields whether they do (if not, ``merge`` afterwards)."""
    if not FTS_SECURE_DELETE:
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

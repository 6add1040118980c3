"""The block lists: authors (by pseudonym) and posts (by a hash of their
platform and native id) that objected or were erased, so that collection
never stores them again. Kept after retention: an objection must outlive
the posts it removed.

A leaf: collection reads it on its hot path, erasure writes it, and neither
imports the other.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from storage.backend import Sql
from storage.timefmt import utcnow


def post_hash(platform: str, native_id: str) -> str:
    return hashlib.sha256(f"{platform}:{native_id}".encode()).hexdigest()[:32]


class BlockList:
    def __init__(self, db: Sql) -> None:
        self.db = db

    def authors(self) -> set[str]:
        return {str(r[0]) for r in self.db.execute("SELECT author_key FROM blocked_authors")}

    def post_hashes(self) -> set[str]:
        return {str(r[0]) for r in self.db.execute("SELECT post_hash FROM blocked_posts")}

    def block_author(self, author_key: str) -> int:
        """Block a pseudonym from collection; 1 if it was not blocked yet."""
        with self.db.transaction():
            cur = self.db.execute("INSERT INTO blocked_authors (author_key, added_at)"
                                  " VALUES (?, ?) ON CONFLICT DO NOTHING", [author_key, utcnow()])
        return int(cur.rowcount)

    def block_post(self, platform: str, native_id: str) -> int:
        """Block a post (stored or not) from collection; 1 if it was not blocked yet."""
        return self.block_posts([(platform, native_id)])

    def block_posts(self, posts: Sequence[tuple[str, str]]) -> int:
        """Block these (platform, native id) posts; how many were not blocked yet."""
        stamp, added = utcnow(), 0
        with self.db.transaction():
            for platform, native_id in posts:
                added += int(self.db.execute(
                    "INSERT INTO blocked_posts (post_hash, added_at) VALUES (?, ?)"
                    " ON CONFLICT DO NOTHING",
                    [post_hash(platform, native_id), stamp]).rowcount)
        return added

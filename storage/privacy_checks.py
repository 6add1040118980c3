"""The bookkeeping of platform deletion re-checks: which posts are due,
and when each was last checked."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from storage.db import write_transaction

if TYPE_CHECKING:
    from storage.store import Store


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

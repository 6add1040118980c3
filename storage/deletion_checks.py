"""The bookkeeping of platform deletion re-checks: which posts are due,
and when each was last checked."""

from __future__ import annotations

from collections.abc import Sequence

from storage.backend import Sql


def _real(exclude_sources: Sequence[str]) -> tuple[str, list[str]]:
    """A clause keeping posts that some source other than ``exclude_sources``
    collected (the sample's synthetic posts exist on no platform)."""
    if not exclude_sources:
        return "", []
    marks = ",".join("?" * len(exclude_sources))  # placeholders only; names are bound
    clause = " AND EXISTS (SELECT 1 FROM post_matches m WHERE m.post_id = posts.id"
    return clause + f" AND m.source NOT IN ({marks}))", list(exclude_sources)


class DeletionChecks:
    def __init__(self, db: Sql) -> None:
        self.db = db

    def due(self, platform: str, *, collected_after: str, checked_before: str, limit: int,
            exclude_sources: Sequence[str] = ()) -> list[tuple[int, str, str | None]]:
        """(id, native_id, url) of posts on ``platform`` collected since
        ``collected_after`` that were never re-checked (oldest collected
        first), then those last checked before ``checked_before`` (least
        recently first); posts only ``exclude_sources`` collected are left out."""
        real, names = _real(exclude_sources)
        sql = ("SELECT id, native_id, url FROM posts WHERE platform = ?"  # noqa: S608
               f" AND collected_at >= ? AND (checked_at IS NULL OR checked_at < ?){real}"
               " ORDER BY checked_at IS NOT NULL, COALESCE(checked_at, collected_at), id"
               " LIMIT ?")
        rows = self.db.execute(sql, [platform, collected_after, checked_before, *names, limit])
        return [(int(r[0]), str(r[1]), r[2]) for r in rows]

    def mark_checked(self, post_ids: Sequence[int], when: str) -> None:
        with self.db.transaction():
            self.db.executemany("UPDATE posts SET checked_at = ? WHERE id = ?",
                                [(when, pid) for pid in post_ids])

    def overdue_first_checks(self, platform: str, collected_before: str,
                             exclude_sources: Sequence[str] = ()) -> int:
        """Posts on ``platform`` never re-checked and collected before the cut-off."""
        real, names = _real(exclude_sources)
        sql = ("SELECT count(*) FROM posts WHERE platform = ? AND checked_at IS NULL"  # noqa: S608
               f" AND collected_at < ?{real}")
        return int(self.db.execute(sql, [platform, collected_before, *names]).fetchone()[0])

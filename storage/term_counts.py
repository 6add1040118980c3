"""Each report week's term counts (posts per word or phrase, terms of two or
more posts), kept so that a bursting-term test reads its eight baseline
weeks instead of tokenising them again every week.

A week's counts are a cache, never the record: they are dropped when a
post of the week is deleted (``storage.discovery_upkeep``) or when they
were counted by another tokeniser, and counted again when next needed.
"""

from __future__ import annotations

from collections.abc import Mapping

from storage.backend import Sql
from storage.report_queries import Bounds
from storage.timefmt import utcnow


class TermCounts:
    def __init__(self, sql: Sql) -> None:
        self.sql = sql

    def get(self, period: str, bounds: Bounds, tokeniser: str
            ) -> tuple[int, dict[str, int]] | None:
        """(posts, posts per term) of ``period`` when counted over the same
        bounds by the same tokeniser; None when not counted."""
        row = self.sql.execute(
            "SELECT posts FROM term_weeks WHERE period = ? AND period_start = ?"
            " AND period_end = ? AND tokeniser = ?", [period, *bounds, tokeniser]).fetchone()
        if row is None:
            return None
        return int(row[0]), {str(t): int(n) for t, n in self.sql.execute(
            "SELECT term, posts FROM term_week_counts WHERE period = ?", [period])}

    def save(self, period: str, bounds: Bounds, tokeniser: str, posts: int,
             counts: Mapping[str, int], *, drop_before: str | None = None) -> None:
        """Keep ``period``'s counts (replacing any); with ``drop_before``, drop
        the counts of weeks that ended on or before it."""
        with self.sql.transaction():
            self.sql.execute("DELETE FROM term_weeks WHERE period = ?", [period])
            self.sql.execute(
                "INSERT INTO term_weeks (period, period_start, period_end, tokeniser, posts,"
                " counted_at) VALUES (?, ?, ?, ?, ?, ?)",
                [period, *bounds, tokeniser, posts, utcnow()])
            self.sql.executemany(
                "INSERT INTO term_week_counts (period, term, posts) VALUES (?, ?, ?)",
                [(period, term, n) for term, n in counts.items()])
            if drop_before is not None:
                self.sql.execute("DELETE FROM term_weeks WHERE period_end <= ?", [drop_before])

    def clear(self) -> None:
        """Drop every kept week (each is counted again when next needed)."""
        with self.sql.transaction():
            self.sql.execute("DELETE FROM term_weeks")

    def periods(self) -> list[str]:
        """The weeks counted, oldest first."""
        return [str(r[0]) for r in self.sql.execute(
            "SELECT period FROM term_weeks ORDER BY period_start")]

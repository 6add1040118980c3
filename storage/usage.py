"""Per-source usage counters (X bills per post read, capped per month).

Periods are calendar months in UTC (``YYYY-MM``). A read is counted as soon
as the platform has returned it, whether or not its page is then stored:
that is when the platform bills it.
"""

from __future__ import annotations

from dataclasses import dataclass

from storage.backend import Sql
from storage.timefmt import month_period, utcnow


@dataclass(frozen=True)
class UsageRecord:
    source: str
    period: str
    reads: int


class Usage:
    def __init__(self, db: Sql) -> None:
        self.db = db

    def add_reads(self, source: str, reads: int, period: str | None = None) -> int:
        """Add ``reads`` to the source's counter for ``period`` (default this
        month); returns the new total."""
        when = period or month_period()
        with self.db.transaction():
            self.db.execute(
                "INSERT INTO usage (source, period, reads, updated_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (source, period) DO UPDATE SET reads = usage.reads + excluded.reads,"
                " updated_at = excluded.updated_at",
                [source, when, reads, utcnow()],
            )
        return self.reads_used(source, when)

    def reads_used(self, source: str, period: str | None = None) -> int:
        row = self.db.execute(
            "SELECT reads FROM usage WHERE source = ? AND period = ?",
            [source, period or month_period()],
        ).fetchone()
        return int(row[0]) if row else 0

    def records(self, source: str | None = None) -> list[UsageRecord]:
        """Every counter (newest period first), optionally for one source."""
        sql = "SELECT source, period, reads FROM usage"
        params: list[str] = []
        if source is not None:
            sql += " WHERE source = ?"
            params.append(source)
        rows = self.db.execute(sql + " ORDER BY period DESC, source", params).fetchall()
        return [UsageRecord(str(r[0]), str(r[1]), int(r[2])) for r in rows]

"""Report weeks waiting to be written again after an erasure.

Written reports quote example posts. Erasing a person (``forget``), a post
or a post deleted at its platform must take their quotes out of the report
files too; the files are written after the database transaction, so a
crash in between would leave the quote in place with nothing left in the
database to find it by. The weeks to write again are therefore recorded
here in the same transaction as the erasure (``Erasure.forget_author`` and
``forget_posts`` take them), and a week leaves this table only once its
files are written (``done``). The listener finishes what is pending on the
next ``forget``, ``purge`` (and daily housekeeping) or service start.

Only week names and formats are kept: never a URL, a handle or a text.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

from storage.backend import Sql
from storage.timefmt import utcnow


class ReportRewrites:
    def __init__(self, db: Sql) -> None:
        self.db = db

    def add(self, weeks: Mapping[str, Collection[str]]) -> None:
        """Record weeks (with the formats written for them) to write again;
        inside the caller's transaction when there is one."""
        if not weeks:
            return
        with self.db.transaction():
            pending = self.pending()
            for week, formats in weeks.items():
                merged = sorted(set(formats) | pending.get(week, set()))
                self.db.execute(
                    "INSERT INTO report_rewrites (week, formats, requested_at) VALUES (?, ?, ?)"
                    " ON CONFLICT (week) DO UPDATE SET formats = excluded.formats",
                    [week, ",".join(merged), utcnow()])

    def pending(self) -> dict[str, set[str]]:
        """Week -> formats, oldest request first."""
        return {str(week): {f for f in str(formats).split(",") if f}
                for week, formats in self.db.execute(
                    "SELECT week, formats FROM report_rewrites ORDER BY requested_at, week")}

    def done(self, week: str) -> None:
        with self.db.transaction():
            self.db.execute("DELETE FROM report_rewrites WHERE week = ?", [week])

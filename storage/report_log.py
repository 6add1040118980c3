"""Each weekly report written, with its headline figures: a report written
again for the same week says which numbers changed, and why."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from storage.backend import Sql
from storage.timefmt import utcnow


@dataclass(frozen=True)
class WrittenReport:
    week: str
    written_at: str  # UTC ISO
    config_hash: str
    figures: dict[str, Any]


class ReportLog:
    """Reports written, newest last per week."""

    def __init__(self, db: Sql) -> None:
        self.db = db

    def record(self, week: str, config_hash: str, figures: dict[str, Any]) -> None:
        with self.db.transaction():
            self.db.execute(
                "INSERT INTO reports_written (week, written_at, config_hash, figures)"
                " VALUES (?, ?, ?, ?)",
                [week, utcnow(), config_hash, json.dumps(figures, sort_keys=True)])

    def last(self, week: str) -> WrittenReport | None:
        """The report written most recently for ``week``, if any."""
        row = self.db.execute(
            "SELECT week, written_at, config_hash, figures FROM reports_written"
            " WHERE week = ? ORDER BY written_at DESC, id DESC LIMIT 1", [week]).fetchone()
        if row is None:
            return None
        return WrittenReport(str(row[0]), str(row[1]), str(row[2]), json.loads(row[3]))

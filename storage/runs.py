"""Collection runs: one row per run of a source, with its counters (which
``save_page`` adds to in the page's own transaction) and how it ended.

A run left 'running' by a killed process is closed as 'interrupted' at the
next start; health reads skip it (``finished_only``)."""

from __future__ import annotations

from typing import Any

from storage.backend import Sql
from storage.records import RunRecord
from storage.timefmt import utcnow

_COLUMNS = ("id, source, started_at, ended_at, status, fetched, new, duplicates,"
            " quarantined, error")


class Runs:
    def __init__(self, db: Sql) -> None:
        self.db = db

    def start(self, source: str) -> int:
        with self.db.transaction():
            return self.db.insert_id(
                "INSERT INTO runs (source, started_at, status) VALUES (?, ?, 'running')",
                [source, utcnow()],
            )

    def finish(self, run_id: int, status: str, error: str | None = None) -> None:
        with self.db.transaction():
            self.db.execute(
                "UPDATE runs SET status = ?, ended_at = ?, error = ? WHERE id = ?",
                [status, utcnow(), error, run_id],
            )

    def close_abandoned(self, source: str | None = None) -> int:
        """Mark runs left 'running' by a killed process as interrupted."""
        sql = "UPDATE runs SET status = 'interrupted', ended_at = ? WHERE status = 'running'"
        params: list[Any] = [utcnow()]
        if source is not None:
            sql += " AND source = ?"
            params.append(source)
        with self.db.transaction():
            cur = self.db.execute(sql, params)
        return int(cur.rowcount)

    def recent(self, source: str | None = None, limit: int = 50) -> list[RunRecord]:
        """The latest runs (of ``source``), newest first."""
        sql = f"SELECT {_COLUMNS} FROM runs"  # noqa: S608 (constant columns)
        params: list[Any] = []
        if source is not None:
            sql += " WHERE source = ?"
            params.append(source)
        sql += " ORDER BY id DESC LIMIT ?"
        params.append(limit)
        return [RunRecord(*row) for row in self.db.execute(sql, params).fetchall()]

    def last(self, source: str, status: str | None = None, *,
             finished_only: bool = False) -> RunRecord | None:
        """The latest run of ``source`` (with ``status``, if given); with
        ``finished_only``, runs still going or interrupted by a kill are skipped."""
        sql = f"SELECT {_COLUMNS} FROM runs WHERE source = ?"  # noqa: S608 (constant columns)
        params: list[Any] = [source]
        if finished_only:
            sql += " AND status IN ('ok', 'failed')"
        if status is not None:
            sql += " AND status = ?"
            params.append(status)
        row = self.db.execute(sql + " ORDER BY id DESC LIMIT 1", params).fetchone()
        return RunRecord(*row) if row else None

    def last_started(self, source: str) -> str | None:
        row = self.db.execute("SELECT max(started_at) FROM runs WHERE source = ?",
                              [source]).fetchone()
        return str(row[0]) if row and row[0] else None

    def failures_in_a_row(self, source: str) -> int:
        """Failed runs since the last successful one."""
        row = self.db.execute(
            "SELECT count(*) FROM runs WHERE source = ? AND status = 'failed' AND id >"
            " COALESCE((SELECT max(id) FROM runs WHERE source = ? AND status = 'ok'), 0)",
            [source, source],
        ).fetchone()
        return int(row[0])

    def empty_in_a_row(self, source: str) -> int:
        """Successful runs with no new posts since the last one that had some."""
        row = self.db.execute(
            "SELECT count(*) FROM runs WHERE source = ? AND status = 'ok' AND new = 0 AND id >"
            " COALESCE((SELECT max(id) FROM runs WHERE source = ? AND status = 'ok'"
            " AND new > 0), 0)",
            [source, source],
        ).fetchone()
        return int(row[0])

"""Collection runs: one row per run of a source, with its counters (which
``save_page`` adds to in the page's own transaction) and how it ended.

A run left 'running' by a killed process is closed as 'interrupted' at the
next start; health reads skip it (``finished_only``)."""

from __future__ import annotations

import contextlib
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

    def collecting(self, source: str) -> contextlib.AbstractContextManager[bool]:
        """Hold ``source``'s collection lock for the block: yields False when
        another process is collecting it (PostgreSQL, several collectors on
        one database), and the caller then skips it. Always True on SQLite
        (one collecting process per file)."""
        return self.db.try_lock(f"collect:{source}")

    def close_abandoned(self, source: str | None = None) -> int:
        """Mark runs left 'running' by a killed process as interrupted: runs
        of a source no process is collecting now (another collector's
        running run on a shared database is left alone)."""
        if source is None:
            sources = [str(r[0]) for r in self.db.execute(
                "SELECT DISTINCT source FROM runs WHERE status = 'running' ORDER BY source")]
        else:
            sources = [source]
        closed = 0
        for name in sources:
            with self.collecting(name) as ours:
                if not ours:
                    continue
                with self.db.transaction():
                    cur = self.db.execute(
                        "UPDATE runs SET status = 'interrupted', ended_at = ?"
                        " WHERE status = 'running' AND source = ?", [utcnow(), name])
                closed += int(cur.rowcount)
        return closed

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

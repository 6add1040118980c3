"""Service state: what the running service records for ``listener
status`` (a different process) to read.

``service_jobs`` holds one row per scheduled job (next run, last run,
last error); ``service_state`` holds small JSON facts (the running
instance, its heartbeat, the config in force, the last config error).
The per-source collection history is ``storage.runs``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from storage.backend import Sql
from storage.timefmt import utcnow

# job claims kept per job (a year of daily turns); older ones are deleted
CLAIMS_KEPT = 400


@dataclass(frozen=True)
class JobState:
    job: str
    next_run_at: str | None
    last_started_at: str | None
    last_finished_at: str | None
    last_status: str | None
    last_error: str | None
    last_success_at: str | None


class ServiceState:
    """Reads and writes of the service's own tables, over one connection."""

    def __init__(self, db: Sql) -> None:
        self.db = db

    # -- small JSON facts ---------------------------------------------------
    def put(self, key: str, value: Any) -> None:
        with self.db.transaction():
            self.db.execute(
                "INSERT INTO service_state (key, value, updated_at) VALUES (?, ?, ?)"
                " ON CONFLICT (key) DO UPDATE SET value = excluded.value,"
                " updated_at = excluded.updated_at",
                [key, json.dumps(value, sort_keys=True), utcnow()],
            )

    def delete(self, key: str) -> None:
        with self.db.transaction():
            self.db.execute("DELETE FROM service_state WHERE key = ?", [key])

    def get(self, key: str) -> Any:
        row = self.db.execute("SELECT value FROM service_state WHERE key = ?", [key]).fetchone()
        return json.loads(row[0]) if row else None

    # -- scheduled jobs -----------------------------------------------------
    def set_next_runs(self, next_runs: dict[str, str | None]) -> None:
        """Record every scheduled job's next run; jobs no longer scheduled
        keep their history but lose their next run."""
        now = utcnow()
        with self.db.transaction():
            self.db.execute("UPDATE service_jobs SET next_run_at = NULL, updated_at = ?", [now])
            for job, at in next_runs.items():
                self.db.execute(
                    "INSERT INTO service_jobs (job, next_run_at, updated_at) VALUES (?, ?, ?)"
                    " ON CONFLICT (job) DO UPDATE SET next_run_at = excluded.next_run_at,"
                    " updated_at = excluded.updated_at",
                    [job, at, now],
                )

    def job_started(self, job: str, next_run_at: str | None) -> None:
        now = utcnow()
        with self.db.transaction():
            self.db.execute(
                "INSERT INTO service_jobs (job, next_run_at, last_started_at, updated_at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT (job) DO UPDATE SET"
                " next_run_at = excluded.next_run_at, last_started_at = excluded.last_started_at,"
                " updated_at = excluded.updated_at",
                [job, next_run_at, now, now],
            )

    def claim(self, job: str, period: str, holder: str, next_run_at: str | None) -> bool:
        """Claim ``job``'s turn for ``period`` (a local day) and mark the job
        started, in one transaction: True for the first claimant only, on
        either backend (several services sharing one PostgreSQL database
        each fire the job; one runs it). Claims older than ``CLAIMS_KEPT``
        periods of the job go in the same transaction."""
        now = utcnow()
        with self.db.transaction():
            won = self.db.execute(
                "INSERT INTO job_claims (job, period, holder, claimed_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (job, period) DO NOTHING RETURNING job",
                [job, period, holder, now]).fetchone() is not None
            if not won:
                return False
            self.db.execute(
                "DELETE FROM job_claims WHERE job = ? AND period NOT IN (SELECT period FROM"
                " job_claims WHERE job = ? ORDER BY period DESC LIMIT ?)",
                [job, job, CLAIMS_KEPT])
            self.job_started(job, next_run_at)
        return True

    def claims(self, job: str) -> list[tuple[str, str]]:
        """(period, holder) of ``job``'s claims, oldest first."""
        return [(str(r[0]), str(r[1])) for r in self.db.execute(
            "SELECT period, holder FROM job_claims WHERE job = ? ORDER BY period", [job])]

    def job_finished(self, job: str, status: str, error: str | None = None) -> None:
        now = utcnow()
        with self.db.transaction():
            self.db.execute(
                "UPDATE service_jobs SET last_finished_at = ?, last_status = ?, last_error = ?,"
                " last_success_at = CASE WHEN ? = 'ok' THEN ? ELSE last_success_at END,"
                " updated_at = ? WHERE job = ?",
                [now, status, error, status, now, now, job],
            )

    def jobs(self) -> dict[str, JobState]:
        rows = self.db.execute(
            "SELECT job, next_run_at, last_started_at, last_finished_at, last_status,"
            " last_error, last_success_at FROM service_jobs ORDER BY job"
        ).fetchall()
        return {r[0]: JobState(*r) for r in rows}

"""Health of each source, as ``listener status`` tells it.

A source is *failing* when its latest finished run failed, *stale* when
its last success is older than twice its interval, and merely *quiet*
("ok, no new posts") when its runs succeed but bring nothing new: the
last is normal for a narrow query, the first two need a person.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from storage.runs import Runs
from storage.service_state import JobState

STALE_FACTOR = 2


@dataclass
class SourceHealth:
    name: str
    state: str  # ok, no new posts, failing, stale, never run, collecting, disabled
    last_success: str | None = None
    last_error: str | None = None
    next_run: str | None = None
    notes: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # what makes `status --check` fail


def parse(moment: str | None) -> datetime | None:
    return datetime.fromisoformat(moment) if moment else None


def ago(moment: str | None, now: datetime) -> str:
    when = parse(moment)
    if when is None:
        return "never"
    seconds = max(0, int((now - when).total_seconds()))
    if seconds < 120:
        return f"{moment} ({seconds} s ago)"
    if seconds < 7200:
        return f"{moment} ({seconds // 60} min ago)"
    if seconds < 172800:
        return f"{moment} ({seconds // 3600} h ago)"
    return f"{moment} ({seconds // 86400} days ago)"


def source_health(name: str, cfg: Any, runs: Runs, job: JobState | None,
                  service_started: str | None, now: datetime | None = None) -> SourceHealth:
    now = now or datetime.now(UTC)
    if not cfg.enabled:
        return SourceHealth(name, "disabled")
    interval = timedelta(minutes=float(cfg.interval_minutes))
    ok = runs.last(name, "ok", finished_only=True)
    latest = runs.last(name, finished_only=True)
    failed = runs.last(name, "failed", finished_only=True)
    health = SourceHealth(name, "ok", last_success=ok.started_at if ok else None,
                          next_run=job.next_run_at if job else None)
    if failed is not None:
        health.last_error = f"{failed.started_at}: {failed.error or 'failed'}"
    if latest is not None and latest.status == "failed":
        health.state = "failing"
        health.problems.append(
            f"failing: {runs.failures_in_a_row(name)} failed run(s) in a row; "
            f"last error {health.last_error}")
    elif ok is not None and ok.new == 0:
        health.state = "no new posts"
        health.notes.append(f"runs succeed but found nothing new "
                            f"({runs.empty_in_a_row(name)} run(s) in a row)")
    if ok is None and health.state == "ok":
        health.state = "never run"
    since = parse(health.last_success) or parse(service_started)
    limit = STALE_FACTOR * interval
    if since is None:
        health.problems.append("no successful collection yet")
    elif now - since > limit:
        if health.state != "failing":
            health.state = "stale"
        what = f"last success {health.last_success}" if ok else "no success since the start"
        health.problems.append(
            f"stale: {what}, more than {STALE_FACTOR} x its "
            f"{every(cfg.interval_minutes)} interval ago")
    if job and job.last_started_at and (job.last_finished_at or "") < job.last_started_at:
        health.notes.append(f"collecting now (since {job.last_started_at})")
    return health


def every(minutes: float) -> str:
    """An interval in words: '30 min', '2 s'."""
    return f"{minutes:g} min" if minutes >= 1 else f"{minutes * 60:.3g} s"

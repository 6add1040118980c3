"""The schedule, rebuilt from config: one job per enabled source at its
interval, the weekly report, daily housekeeping and alerts, the retry of
deliveries not yet sent, and the service's own config check and heartbeat.
No job store is shared or persisted: at start and on every reload the jobs
are derived from the settings alone.

Every job is ``coalesce=True`` (runs missed during an outage collapse into
one) and ``max_instances=1`` (a slow run never overlaps itself). A
collection's misfire grace is its interval, so that after an outage the
latest missed run still happens once; the report and housekeeping keep
theirs for hours, so a host that slept through 07:00 still writes the report.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any, Protocol

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from listener.config import Settings
from listener.service.clock import OncePerLocalDay
from listener.service.settings import hour_minute
from storage.timefmt import iso

REPORT_GRACE = 12 * 3600
HOUSEKEEPING_GRACE = 12 * 3600


class Targets(Protocol):
    def collect(self, name: str) -> None: ...
    def report(self) -> None: ...
    def housekeeping(self) -> None: ...
    def alerts(self) -> None: ...
    def deliveries(self) -> None: ...
    def digest(self, team: str) -> None: ...


@dataclass(frozen=True)
class JobSpec:
    id: str
    func: Callable[..., None]
    trigger: BaseTrigger
    grace: int
    key: str  # what the trigger was built from: a change means reschedule
    args: tuple[Any, ...] = ()
    first_run: datetime | None = None  # None: the trigger's next fire time
    catch_up: bool = field(default=False, compare=False)
    executor: str = "default"


def make_scheduler(max_workers: int) -> BackgroundScheduler:
    """Jobs run in a pool of ``max_workers``; the service's own checks run in
    a thread of their own, so busy collectors never delay a config reload."""
    return BackgroundScheduler(
        timezone=UTC,
        executors={"default": ThreadPoolExecutor(max_workers), "service": ThreadPoolExecutor(1)},
        job_defaults={"coalesce": True, "max_instances": 1},
    )


def job_specs(settings: Settings, targets: Targets, *, now: datetime,
              last_collect: Callable[[str], datetime | None] = lambda name: None,
              extra: dict[str, tuple[Callable[[], None], float]] | None = None,
              ) -> dict[str, JobSpec]:
    """The jobs ``settings`` asks for. ``last_collect(source)`` is when that
    source last started collecting, so a restart does not collect again
    before its interval is up; ``extra`` adds interval jobs by id."""
    specs: dict[str, JobSpec] = {}
    for name, cfg in settings.enabled_sources().items():
        seconds = float(cfg.interval_minutes) * 60
        last = last_collect(name)
        first = now if last is None else max(now, last + timedelta(seconds=seconds))
        specs[f"collect:{name}"] = JobSpec(
            f"collect:{name}", targets.collect,
            IntervalTrigger(seconds=seconds, start_date=first, timezone=UTC),
            grace=max(1, math.ceil(seconds)), key=f"every {seconds}s", args=(name,),
            first_run=first)
    service = settings.service
    zone = service.zone(settings.reports.timezone)
    if service.weekly_report:
        hour, minute = hour_minute(service.report_time)
        specs["report"] = JobSpec(
            "report", OncePerLocalDay(targets.report, zone),
            CronTrigger(day_of_week=service.report_day, hour=hour, minute=minute, timezone=zone),
            grace=REPORT_GRACE, key=f"{service.report_day} {service.report_time} {zone}",
            catch_up=True)
    hour, minute = hour_minute(service.housekeeping_time)
    specs["housekeeping"] = JobSpec(
        "housekeeping", OncePerLocalDay(targets.housekeeping, zone),
        CronTrigger(hour=hour, minute=minute, timezone=zone),
        grace=HOUSEKEEPING_GRACE, key=f"daily {service.housekeeping_time} {zone}",
        catch_up=True)
    alerts = settings.reports.alerts
    if alerts.email or alerts.webhook_url_env:
        hour, minute = hour_minute(service.alerts_time)
        specs["alerts"] = JobSpec(
            "alerts", OncePerLocalDay(targets.alerts, zone),
            CronTrigger(hour=hour, minute=minute, timezone=zone),
            grace=HOUSEKEEPING_GRACE, key=f"daily {service.alerts_time} {zone}")
    retry = service.delivery_retry_minutes * 60
    specs["deliveries"] = JobSpec(
        "deliveries", targets.deliveries, IntervalTrigger(seconds=retry, timezone=UTC),
        grace=max(1, math.ceil(retry)), key=f"every {retry}s")
    for team in settings.routing.teams:  # immediate teams: after each collection (jobs.py)
        if team.enabled and team.schedule == "daily":
            hour, minute = hour_minute(team.at)
            specs[f"digest:{team.name}"] = JobSpec(
                f"digest:{team.name}", OncePerLocalDay(partial(targets.digest, team.name), zone),
                CronTrigger(hour=hour, minute=minute, timezone=zone),
                grace=HOUSEKEEPING_GRACE, key=f"daily {team.at} {zone}", catch_up=True)
    for job_id, (func, seconds) in (extra or {}).items():
        specs[job_id] = JobSpec(
            job_id, func, IntervalTrigger(seconds=seconds, timezone=UTC),
            grace=max(1, math.ceil(seconds)), key=f"every {seconds}s", executor="service")
    return specs


class Schedule:
    """Keeps a scheduler's jobs in step with the settings."""

    def __init__(self, scheduler: BaseScheduler) -> None:
        self.scheduler = scheduler
        self._keys: dict[str, str] = {}

    def apply(self, specs: dict[str, JobSpec],
              missed: Callable[[JobSpec], bool] = lambda spec: False) -> list[str]:
        """Add, reschedule or remove jobs; return what changed, in words.
        ``missed(spec)`` says a catch-up job's last fire went unserved (the
        service was down): it then runs once now."""
        changes = []
        for job in self.scheduler.get_jobs():
            if job.id not in specs:
                self.scheduler.remove_job(job.id)
                self._keys.pop(job.id, None)
                changes.append(f"removed {job.id}")
        for spec in specs.values():
            known = self._keys.get(spec.id)
            if known == spec.key:
                continue
            options: dict[str, Any] = {}
            first = spec.first_run
            if spec.catch_up and known is None and missed(spec):
                first = datetime.now(UTC)
            if first is not None:
                options["next_run_time"] = first
            self.scheduler.add_job(
                spec.func, spec.trigger, args=spec.args, id=spec.id, name=spec.id,
                replace_existing=True, coalesce=True, max_instances=1,
                misfire_grace_time=spec.grace, executor=spec.executor, **options)
            self._keys[spec.id] = spec.key
            changes.append(f"{'rescheduled' if known else 'scheduled'} {spec.id} ({spec.key})")
        return changes

    def next_runs(self) -> dict[str, str | None]:
        """Job id -> next run (UTC ISO text); None while not yet computed."""
        runs: dict[str, str | None] = {}
        for job in self.scheduler.get_jobs():
            when = getattr(job, "next_run_time", None)  # unset until the scheduler starts
            runs[job.id] = iso(when) if when else None
        return runs

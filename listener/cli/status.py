"""``listener status``: the service, the config in force, and per source its
last run, health (ok / no new posts / failing / stale) and next run.
``--check`` exits 1 when any enabled source is stale or failing, the
classification after its last collection failed, the last report,
housekeeping or alert check failed, a delivery (report e-mail, alert) has
failed and waits for its retry, the latest config edit was rejected, or an
erasure's words have waited two days or more for the purge that takes them
out of the full-text index's storage: for monitoring."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import typer

from listener.cli.common import State, open_store
from listener.config import ConfigError, Settings, load_settings
from listener.platforms.x.budget import x_budget_line
from listener.platforms.x.config import XSourceConfig
from listener.service.health import ago, every, parse, source_health
from listener.service.lastgood import last_good_settings, storage_named_in
from storage import Store
from storage.backend import BackendError
from storage.config import StorageSettings
from storage.service_state import ServiceState


def _settings_and_store(path: Path) -> tuple[Settings, Store]:
    try:
        settings = load_settings(path, check_credentials=False)
    except ConfigError as exc:
        typer.echo(f"config: {len(exc.problems)} problem(s) in {path}:")
        for problem in exc.problems:
            typer.echo(f"    {problem}")
        storage, db = storage_named_in(path)
        if storage.backend == "sqlite" and not db.exists():
            typer.echo(f"no database at {db}", err=True)
            raise typer.Exit(1) from None
        store = _open(storage, db)
        fallback = last_good_settings(store, path)
        if fallback is None:
            typer.echo("no last good config recorded in the database", err=True)
            raise typer.Exit(1) from None
        typer.echo(f"showing the last good config in force, version {fallback.config_hash}")
        return fallback, store
    return settings, open_store(settings)


def _open(storage: StorageSettings, db: Path) -> Store:
    try:
        return Store.from_settings(storage, db)
    except BackendError as exc:  # in words, never showing the DSN
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from None


def _service_lines(state: ServiceState, settings: Settings, now: datetime) -> list[str]:
    instance: dict[str, Any] = state.get("instance") or {}
    beat: dict[str, Any] = state.get("heartbeat") or {}
    config: dict[str, Any] = state.get("config") or {}
    lines = []
    if not instance:
        lines.append("service: never started on this database")
    elif beat and (when := parse(beat.get("at"))) is not None and (now - when).total_seconds() \
            <= 3 * settings.service.heartbeat_seconds + 10:
        lines.append(f"service: running (pid {instance.get('pid')} on {instance.get('host')}, "
                     f"since {instance.get('started_at')}; heartbeat {ago(beat.get('at'), now)})")
    elif instance.get("stopped_at"):
        lines.append(f"service: not running (stopped {ago(instance.get('stopped_at'), now)})")
    else:
        lines.append(f"service: not running? no heartbeat since {ago(beat.get('at'), now)} "
                     f"(pid {instance.get('pid')} on {instance.get('host')})")
    if config:
        lines.append(f"config in force: version {config.get('hash')}, loaded "
                     f"{ago(config.get('loaded_at'), now)}")
    return lines


# an erasure's words wait for the daily housekeeping's purge: two days is a missed run
INDEX_WAIT_DAYS = 2


def _index_lines(store: Store, now: datetime) -> list[str]:
    """Print what erasures left in the full-text index's storage for the next
    purge (``storage.fts.defer``); returns a problem when it waited too long."""
    waiting = store.erasure.deletion.fts_pending()
    if not waiting.posts:
        return []
    typer.echo(f"full-text index: the words of {waiting.posts} erased posts leave its storage at "
               f"the next retention purge (waiting since {ago(waiting.since, now)})")
    since = parse(waiting.since)
    if since is not None and (now - since).days >= INDEX_WAIT_DAYS:
        return [f"full-text index: erased posts' words waiting {INDEX_WAIT_DAYS}+ days for a "
                "purge (is housekeeping running? `listener purge` clears them)"]
    return []


def register(app: typer.Typer) -> None:
    @app.command()
    def status(
        ctx: typer.Context,
        check: bool = typer.Option(False, "--check",
                                   help="Exit 1 when an enabled source is stale or failing, "
                                        "classifying its posts failed, the report, "
                                        "housekeeping or alerts failed, or a config edit was "
                                        "rejected (for monitoring)."),
    ) -> None:
        """Show the service, and per configured source: last run, its counts, health,
        last success, last error and next run."""
        state_obj: State = ctx.obj
        settings, store = _settings_and_store(state_obj.config_path)
        now = datetime.now(UTC)
        state = store.service
        problems: list[str] = []
        typer.echo(f"database: {settings.database_name} ({store.count_posts()} posts)")
        problems += _index_lines(store, now)
        for line in _service_lines(state, settings, now):
            typer.echo(line)
        error: dict[str, Any] | None = state.get("config_error")
        if error:
            typer.echo(f"config error (seen {error.get('detected_at')}); the service keeps "
                       f"running on config {error.get('running_on')}:")
            for problem in error.get("problems", []):
                typer.echo(f"    {problem.get('text')}")
            problems.append("config: the latest edit of the config was rejected")
        jobs = state.jobs()
        started = (state.get("instance") or {}).get("started_at")
        for name, cfg in settings.all_sources().items():
            on = "enabled" if cfg.enabled else "disabled"
            last = store.runs.last(name)
            if last is None:
                typer.echo(f"{name} ({cfg.type}, {on}): never run")
            else:
                typer.echo(
                    f"{name} ({cfg.type}, {on}): last run {last.started_at} {last.status}; "
                    f"{last.fetched} fetched, {last.new} new, {last.duplicates} duplicates, "
                    f"{last.quarantined} quarantined")
            if isinstance(cfg, XSourceConfig):
                typer.echo(f"    {x_budget_line(name, cfg, store.usage)}")
            health = source_health(name, cfg, store.runs, jobs.get(f"collect:{name}"), started,
                                   now)
            if not cfg.enabled:
                continue
            flag = "" if not health.problems else " (PROBLEM)"
            typer.echo(f"    health: {health.state}{flag}; every {every(cfg.interval_minutes)}")
            typer.echo(f"    last success: {ago(health.last_success, now)}")
            typer.echo(f"    last error: {health.last_error or 'none'}")
            typer.echo(f"    next run: {health.next_run or 'not scheduled (service not running)'}")
            for note in health.notes:
                typer.echo(f"    note: {note}")
            problems += [f"{name}: {p}" for p in health.problems]
            job = jobs.get(f"collect:{name}")
            if job is not None and job.last_status == "failed" and health.state != "failing":
                # the collection itself ended ok: what failed after it is classification
                typer.echo(f"    last job: failed after collecting ({job.last_error})")
                problems.append(f"{name}: classifying after the last collection failed "
                                f"({job.last_error})")
        for job_id in ("report", "housekeeping", "alerts"):
            job = jobs.get(job_id)
            if job is None:
                continue
            if job.last_started_at is None:
                told = "never run"
            elif (job.last_finished_at or "") < job.last_started_at:
                told = f"running since {job.last_started_at}"
            else:
                told = f"last run {ago(job.last_started_at, now)} {job.last_status}" + (
                    f" ({job.last_error})" if job.last_error else "")
            typer.echo(f"{job_id}: {told}; next run {job.next_run_at or 'not scheduled'}")
            if job.last_status == "failed":
                problems.append(f"{job_id}: the last run failed ({job.last_error})")
        for delivery in store.deliveries.failing():
            told = (f"{delivery.kind} {delivery.key} by {delivery.channel}: not delivered after "
                    f"{delivery.attempts} attempt(s) ({delivery.last_error}); retried")
            typer.echo(f"delivery {told}")
            problems.append(f"delivery {told}")
        if check:
            for problem in problems:
                typer.echo(f"CHECK: {problem}")
            typer.echo(f"check: {'FAIL' if problems else 'OK'} ({len(problems)} problem(s))")
            raise typer.Exit(1 if problems else 0)

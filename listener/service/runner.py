"""``listener run``: the service's life from start to a clean stop.

Start: take the one-instance lock (SQLite: one service per file; on
PostgreSQL several services may share a database, each source collected by
one at a time and each calendar job's turn run by one: ``jobs``), mark runs
a killed predecessor left 'running' as interrupted, record the config
version, build the schedule.
Run: the scheduler's threads do the work; the main thread waits for
SIGTERM or SIGINT. Stop: no new job starts, running collections stop
after their current page (each page is committed with its cursor), and
the process exits within ``service.stop_timeout_seconds``.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import socket
import threading
from datetime import UTC, datetime, timedelta
from types import FrameType

from apscheduler.events import EVENT_JOB_MAX_INSTANCES, EVENT_JOB_MISSED, JobEvent

from listener import __version__
from listener.config import Settings
from listener.pipeline import register_secrets
from listener.privacy.report_files import finish_rewrites
from listener.redact import redact
from listener.service.clock import previous_fire
from listener.service.connections import StorePool
from listener.service.jobs import Jobs
from listener.service.lock import InstanceLock, lock_path_for
from listener.service.reload import ConfigWatcher, record_config
from listener.service.scheduler import JobSpec, Schedule, job_specs, make_scheduler
from storage.service_state import ServiceState
from storage.timefmt import utcnow

log = logging.getLogger(__name__)


class Service:
    def __init__(self, settings: Settings, *, allow_governance_gaps: bool = False) -> None:
        self.settings = settings
        self.allow_gaps = allow_governance_gaps
        self.stop = threading.Event()
        self.pool = StorePool(settings.database_path, settings.storage)
        self.jobs = Jobs(settings, self.pool, self.stop)
        self.scheduler = make_scheduler(settings.service.max_parallel_jobs)
        self.schedule = Schedule(self.scheduler)
        self.jobs.next_runs = self.schedule.next_runs

    def state(self) -> ServiceState:
        return self.pool.get().service

    def run(self) -> bool:
        """Serve until SIGTERM/SIGINT; True when every job finished in time.
        Raises ``AlreadyRunning`` when another service holds the database."""
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, self._on_signal)
        # our own warnings below say the same, in words an admin can act on
        logging.getLogger("apscheduler").setLevel(logging.ERROR)
        with self._instance_lock():
            try:
                self._start()
                while not self.stop.wait(1.0):
                    pass
                return self._shutdown()
            finally:
                self.pool.close_all()

    def _instance_lock(self) -> contextlib.AbstractContextManager[object]:
        """SQLite: one service per database file (``AlreadyRunning``). On
        PostgreSQL none: services on one or several machines share the
        database, coordinated by storage's per-source locks and job claims."""
        if self.settings.storage.backend == "postgresql":
            return contextlib.nullcontext()
        return InstanceLock(lock_path_for(self.settings.database_path))

    def _start(self) -> None:
        settings, store = self.settings, self.pool.get()
        register_secrets(settings)
        interrupted = store.runs.close_abandoned()
        store.config_versions.record(settings.config_hash, settings.config_text,
                                     str(settings.path))
        state = self.state()
        state.put("instance", {"pid": os.getpid(), "host": socket.gethostname(),
                               "started_at": utcnow(), "version": __version__})
        record_config(state, settings)
        state.delete("config_error")
        self.finish_interrupted_work()
        assert settings.path is not None
        self.watcher = ConfigWatcher(settings.path, settings, state=self.state,
                                     on_change=self._use, allow_governance_gaps=self.allow_gaps)
        self._reschedule(settings)
        self.scheduler.add_listener(self._on_event, EVENT_JOB_MISSED | EVENT_JOB_MAX_INSTANCES)
        self.scheduler.start()
        self.state().set_next_runs(self.schedule.next_runs())
        log.info("civic-listener %s running: pid %d, database %s, config %s, %d sources%s",
                 __version__, os.getpid(), settings.database_name, settings.config_hash,
                 len(settings.enabled_sources()),
                 f"; {interrupted} interrupted run(s) closed" if interrupted else "")

    def finish_interrupted_work(self) -> None:
        """Finish what a killed process left half done: report weeks an
        erasure recorded for writing again (``report_files.finish_rewrites``).
        A failure is logged; the daily housekeeping tries again."""
        try:
            done = finish_rewrites(self.settings, self.pool.get())
        except Exception as exc:
            log.error("report rewrites left by an interrupted erasure not finished: %s",
                      redact(f"{type(exc).__name__}: {exc}"))
            return
        if done:
            log.info("wrote again %d report week(s) an interrupted erasure left", done)

    def _reschedule(self, settings: Settings) -> None:
        state = self.state()
        jobs_seen = state.jobs()

        def last_collect(name: str) -> datetime | None:
            started = self.pool.get().runs.last_started(name)
            return datetime.fromisoformat(started) if started else None

        def missed(spec: JobSpec) -> bool:
            seen = jobs_seen.get(spec.id)
            if seen is None or seen.last_started_at is None:
                return False  # never ran here: a fresh install waits for its first slot
            now = datetime.now(UTC)
            fired = previous_fire(spec.trigger, now, _LOOKBACK[spec.id])
            done = seen.last_success_at or seen.last_started_at
            return fired is not None and datetime.fromisoformat(done) < fired

        service = settings.service
        specs = job_specs(settings, self.jobs, now=datetime.now(UTC), last_collect=last_collect,
                          extra={"config-watch": (self._check_config, service.reload_check_seconds),
                                 "heartbeat": (self._heartbeat, service.heartbeat_seconds)})
        for change in self.schedule.apply(specs, missed):
            log.info("schedule: %s", change)
        state.set_next_runs(self.schedule.next_runs())

    def _use(self, settings: Settings) -> None:
        """A valid config edit: record the version, swap, reschedule."""
        register_secrets(settings)
        self.pool.get().config_versions.record(settings.config_hash, settings.config_text,
                                               str(settings.path))
        record_config(self.state(), settings)
        self.jobs.use_settings(settings)
        self.settings = settings
        self._reschedule(settings)

    def _check_config(self) -> None:
        if self.stop.is_set():
            return
        try:
            self.watcher.check()
        except Exception as exc:  # the service outlives a failed check; the next one retries
            log.error("config check failed: %s", redact(f"{type(exc).__name__}: {exc}"))

    def _heartbeat(self) -> None:
        try:
            state = self.state()
            state.put("heartbeat", {"at": utcnow(), "pid": os.getpid()})
            state.set_next_runs(self.schedule.next_runs())
        except Exception as exc:
            log.error("heartbeat not recorded: %s", redact(f"{type(exc).__name__}: {exc}"))

    def _on_event(self, event: JobEvent) -> None:
        if event.code == EVENT_JOB_MISSED:
            log.warning("job %s: run due at %s was missed (service busy or host asleep)",
                        event.job_id, event.scheduled_run_time)
        else:
            log.warning("job %s: still running from its last turn; this turn is skipped",
                        event.job_id)

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        if self.stop.is_set():
            log.error("second %s: exiting now", signal.Signals(signum).name)
            os._exit(1)
        log.info("%s received: stopping after the current page", signal.Signals(signum).name)
        self.stop.set()

    def _shutdown(self) -> bool:
        timeout = self.settings.service.stop_timeout_seconds
        self.scheduler.shutdown(wait=False)
        finished = self.jobs.wait_idle(timeout)
        state = self.state()
        state.delete("heartbeat")
        state.set_next_runs({})
        instance = state.get("instance") or {}
        state.put("instance", {**instance, "stopped_at": utcnow(), "clean": finished})
        if finished:
            log.info("stopped cleanly; every committed page is kept")
        else:
            log.error("jobs still running after %.0f s; exiting anyway (uncommitted pages "
                      "are collected again next time)", timeout)
        return finished


_LOOKBACK = {"report": timedelta(days=8), "housekeeping": timedelta(days=2)}

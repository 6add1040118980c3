"""What the scheduled jobs do: collect a source (then classify its new
posts), write the weekly report, do the daily housekeeping.

Every job reads the settings in force when it starts (a config reload
swaps them between jobs), records its start and end in the service's
tables for ``listener status``, and honours the stop event: collection
stops after the page it is on; nothing new starts once stop is set.

Several services may share one PostgreSQL database (issue 21): a source is
collected by one of them at a time (``pipeline.collect`` holds the source's
lock; the others skip it that round), and each calendar job (report,
housekeeping, alerts, a daily digest) is claimed for its local day by the
first service to fire it (``store.service.claim``); the others skip it.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import threading
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

from listener import pipeline
from listener.config import Settings
from listener.redact import redact
from listener.service import tasks
from listener.service.connections import StorePool

log = logging.getLogger(__name__)


# who claims a calendar job's turn (job_claims.holder): this process
HOLDER = f"{socket.gethostname()}:{os.getpid()}"


class JobFailed(RuntimeError):
    """A job that ran to its end but reports a failure (already logged)."""


class Jobs:
    def __init__(self, settings: Settings, pool: StorePool, stop: threading.Event) -> None:
        self._settings = settings
        self._settings_lock = threading.Lock()
        self.pool = pool
        self.stop = stop
        self.next_runs: Callable[[], dict[str, str | None]] = dict
        self._classify_lock = threading.Lock()
        self._classifiers: tuple[str, list[Any]] | None = None
        self._idle = threading.Condition()
        self._active = 0

    # -- settings in force ----------------------------------------------------
    @property
    def settings(self) -> Settings:
        with self._settings_lock:
            return self._settings

    def use_settings(self, settings: Settings) -> None:
        with self._settings_lock:
            self._settings = settings

    # -- the jobs -----------------------------------------------------------
    def collect(self, name: str) -> None:
        self._run(f"collect:{name}", lambda: self._collect(name))

    def report(self) -> None:
        self._run("report", lambda: tasks.weekly_report(self.settings, self.pool.get()),
                  once=True)

    def housekeeping(self) -> None:
        self._run("housekeeping", lambda: tasks.housekeeping(self.settings, self.pool.get()),
                  once=True)

    def alerts(self) -> None:
        self._run("alerts", lambda: tasks.daily_alerts(self.settings, self.pool.get()),
                  once=True)

    def deliveries(self) -> None:
        self._run("deliveries", lambda: tasks.deliver_due(self.settings, self.pool.get()))

    def digest(self, team: str) -> None:
        self._run(f"digest:{team}", lambda: self._digests([team]), once=True)

    def _digests(self, teams: list[str]) -> None:
        errors = tasks.team_digests(self.settings, self.pool.get(), teams)
        if errors:
            raise JobFailed("; ".join(errors))

    def _collect(self, name: str) -> None:
        settings = self.settings
        if name not in settings.enabled_sources():
            return  # disabled by a reload after this run was due
        store = self.pool.get()
        summaries = pipeline.collect(settings, store, only=name, stop=self.stop)
        if not self.stop.is_set():
            self.classify(settings)
            urgent = [t.name for t in settings.routing.teams
                      if t.enabled and t.schedule == "immediate"]
            if urgent:  # their digest failing must not fail the collection
                errors = tasks.team_digests(settings, store, urgent)
                if errors:
                    log.warning("immediate digests: %s", "; ".join(errors))
        errors = [s.error or "failed" for s in summaries if s.status == "failed"]
        if errors:
            raise JobFailed("; ".join(errors))

    def classify(self, settings: Settings) -> dict[str, int]:
        """Label posts not labelled yet, with the classifiers of ``settings``
        (rebuilt only when topics or nlp settings change). One at a time:
        sources finishing together do not label the same posts twice."""
        with self._classify_lock:
            key = pipeline.topics_hash(settings) + settings.nlp.model_dump_json()
            if self._classifiers is None or self._classifiers[0] != key:
                import nlp

                built = nlp.build_classifiers(settings.nlp, settings.topics, settings.data_dir)
                self._classifiers = (key, list(built))
            return pipeline.classify(settings, self.pool.get(),
                                     classifiers=self._classifiers[1])

    # -- bookkeeping ----------------------------------------------------------
    def _run(self, job: str, work: Callable[[], None], *, once: bool = False) -> None:
        """Run ``work`` as ``job``, recording its start and end. ``once``: a
        calendar job, run by one service only for each local day (a claim;
        a failed run is not tried again by another service that day: it is
        shown by ``status --check``, and the next turn or the command by
        hand does it)."""
        if self.stop.is_set():
            return
        with self._running():
            state = self.pool.get().service
            period = None
            if once:
                settings = self.settings
                period = datetime.now(settings.service.zone(settings.reports.timezone)
                                      ).date().isoformat()
                if not state.claim(job, period, HOLDER, self.next_runs().get(job)):
                    log.info("job %s for %s: already run by another service on this "
                             "database; skipped here", job, period)
                    return
                log.info("job %s for %s: claimed by this service (%s)", job, period, HOLDER)
            else:
                state.job_started(job, self.next_runs().get(job))
            status, error = "ok", None
            try:
                work()
            except JobFailed as exc:
                status, error = "failed", redact(str(exc))
            except Exception as exc:  # a job's failure must never stop the service
                status, error = "failed", redact(f"{type(exc).__name__}: {exc}")
                log.error("job %s failed: %s", job, error)
                log.debug("job %s traceback", job, exc_info=True)
            state.job_finished(job, status, error)
            state.set_next_runs(self.next_runs())

    @contextlib.contextmanager
    def _running(self) -> Iterator[None]:
        with self._idle:
            self._active += 1
        try:
            yield
        finally:
            with self._idle:
                self._active -= 1
                self._idle.notify_all()

    def wait_idle(self, timeout: float) -> bool:
        """Wait until no job runs; False when ``timeout`` passed first."""
        with self._idle:
            return self._idle.wait_for(lambda: self._active == 0, timeout)

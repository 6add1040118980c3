"""Helpers for the service tests: settings from YAML text, a scheduler
stepped by hand under a controlled clock, and a recorder of job runs."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from apscheduler.schedulers.base import BaseScheduler

from listener.config import Settings, parse_settings

LONDON = ZoneInfo("Europe/London")


def settings_from_yaml(text: str, file: str = "config.yaml") -> Settings:
    return parse_settings(text, file, check_credentials=False)


def two_sources(a_minutes: float = 5, b_minutes: float = 10, service: str = "") -> Settings:
    return settings_from_yaml(f"""
sources:
  a:
    type: sample
    interval_minutes: {a_minutes}
  b:
    type: sample
    interval_minutes: {b_minutes}
  spare:
    type: sample
    enabled: false
{service}
""")


class SteppedScheduler(BaseScheduler):
    """APScheduler's own scheduling logic (due jobs, misfire grace,
    coalescing, max instances), run one step at a time by the test instead
    of by a timer thread: the test moves the clock, then calls ``step``."""

    def wakeup(self) -> None:
        pass

    def shutdown(self, wait: bool = True) -> None:
        super().shutdown(wait)

    def step(self) -> None:
        self._process_jobs()


class Recorder:
    """Job targets that record each run with the (controlled) time."""

    def __init__(self, hold: threading.Event | None = None) -> None:
        self.runs: list[tuple[str, datetime]] = []
        self.hold = hold
        self.started = threading.Event()
        self.running = 0
        self.most_at_once = 0
        self._lock = threading.Lock()

    def _record(self, job: str) -> None:
        with self._lock:
            self.runs.append((job, datetime.now(UTC)))
            self.running += 1
            self.most_at_once = max(self.most_at_once, self.running)
        self.started.set()
        if self.hold is not None:
            self.hold.wait(30)
        with self._lock:
            self.running -= 1

    def collect(self, name: str) -> None:
        self._record(f"collect:{name}")

    def report(self) -> None:
        self._record("report")

    def housekeeping(self) -> None:
        self._record("housekeeping")

    def alerts(self) -> None:
        self._record("alerts")

    def deliveries(self) -> None:
        self._record("deliveries")

    def digest(self, team: str) -> None:
        self._record(f"digest:{team}")

    def count(self, job: str) -> int:
        return sum(1 for j, _ in self.runs if j == job)

    def times(self, job: str) -> list[datetime]:
        return [t for j, t in self.runs if j == job]

"""Backing off after failed log-ins, per user name and per address.

Each user name and each client address counts its failed log-ins. The
first ``web.login_free_attempts`` (5) cost nothing; after that each new
attempt waits 30 seconds after the last failure, doubling with every
further failure up to ``web.login_backoff_max_minutes`` (15). An attempt
made while waiting is refused without checking the password (and is not
counted, so a user retrying does not make it worse). A successful log-in
clears the counts of its user and its address; counts older than a day are
forgotten. Both keys apply: a guesser spreading over addresses meets the
user's count, one trying many names meets the address's.

The address is the client's as the server sees it; behind a reverse proxy
uvicorn takes it from ``X-Forwarded-For`` when the proxy is trusted
(``--forwarded-allow-ips``, 127.0.0.1 by default).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

FIRST_WAIT_SECONDS = 30.0
FORGET_AFTER_SECONDS = 24 * 3600.0


@dataclass
class _Failures:
    count: int
    last: float


class LoginThrottle:
    def __init__(self, free_attempts: int = 5, max_wait_seconds: float = 900.0, *,
                 clock: Callable[[], float] = time.time, limit: int = 10_000) -> None:
        self.free, self.max_wait, self.clock, self.limit = (
            free_attempts, max_wait_seconds, clock, limit)
        self._failures: dict[str, _Failures] = {}
        self._lock = threading.Lock()

    @staticmethod
    def _keys(user: str, address: str) -> tuple[str, str]:
        return "user:" + user.strip().lower()[:200], "address:" + address

    def _wait(self, failures: _Failures | None, now: float) -> float:
        if failures is None or failures.count < self.free:
            return 0.0
        delay = min(self.max_wait, FIRST_WAIT_SECONDS * 2.0 ** (failures.count - self.free))
        return max(0.0, failures.last + delay - now)

    def retry_after(self, user: str, address: str) -> float:
        """Seconds until this user may try from this address (0: now)."""
        now = self.clock()
        with self._lock:
            return max(self._wait(self._failures.get(key), now)
                       for key in self._keys(user, address))

    def failed(self, user: str, address: str) -> None:
        now = self.clock()
        with self._lock:
            self._forget_old(now)
            for key in self._keys(user, address):
                found = self._failures.get(key)
                if found is None or now - found.last > FORGET_AFTER_SECONDS:
                    found = self._failures[key] = _Failures(0, now)
                found.count += 1
                found.last = now

    def succeeded(self, user: str, address: str) -> None:
        with self._lock:
            for key in self._keys(user, address):
                self._failures.pop(key, None)

    def _forget_old(self, now: float) -> None:
        stale = [k for k, f in self._failures.items() if now - f.last > FORGET_AFTER_SECONDS]
        for key in stale:
            del self._failures[key]
        while len(self._failures) >= self.limit:
            oldest = min(self._failures, key=lambda k: self._failures[k].last)
            del self._failures[oldest]

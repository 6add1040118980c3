"""Login sessions held by the server.

A log-in gets a new random token (256 bits) in an HttpOnly cookie; the
server keeps the session under the token's SHA-256, with the actor, when it
started and when it was last used. A session ends when logged out, when
the same browser logs in again (a new token each time), after
``web.session_idle_minutes`` without a request, and ``web.session_hours``
after it started, however active. A signed cookie alone is never a log-in,
so a copied cookie stops working at logout.

Sessions live in the server's memory: a restart ends every log-in.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

COOKIE = "listener_session"


@dataclass
class _Session:
    actor: dict[str, Any]
    started: float
    seen: float


def _key(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


class Sessions:
    def __init__(self, lifetime_seconds: float, idle_seconds: float, *,
                 clock: Callable[[], float] = time.time, limit: int = 10_000) -> None:
        self.lifetime, self.idle, self.clock, self.limit = (
            lifetime_seconds, idle_seconds, clock, limit)
        self._sessions: dict[str, _Session] = {}
        self._lock = threading.Lock()

    def start(self, actor: dict[str, Any]) -> str:
        """A new session for ``actor``; returns its token (the cookie value)."""
        token = secrets.token_urlsafe(32)
        now = self.clock()
        with self._lock:
            self._drop_ended(now)
            while len(self._sessions) >= self.limit:  # the oldest give way
                oldest = min(self._sessions, key=lambda k: self._sessions[k].seen)
                del self._sessions[oldest]
            self._sessions[_key(token)] = _Session(dict(actor), now, now)
        return token

    def actor(self, token: str) -> dict[str, Any] | None:
        """The actor of a live session (marking it used), else None."""
        now = self.clock()
        with self._lock:
            session = self._sessions.get(_key(token))
            if session is None:
                return None
            if self._ended(session, now):
                del self._sessions[_key(token)]
                return None
            session.seen = now
            return dict(session.actor)

    def end(self, token: str) -> bool:
        with self._lock:
            return self._sessions.pop(_key(token), None) is not None

    def __len__(self) -> int:
        return len(self._sessions)

    def _ended(self, session: _Session, now: float) -> bool:
        return now - session.started >= self.lifetime or now - session.seen >= self.idle

    def _drop_ended(self, now: float) -> None:
        for key in [k for k, s in self._sessions.items() if self._ended(s, now)]:
            del self._sessions[key]

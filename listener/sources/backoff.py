"""The one backoff helper every source uses.

``call_with_retry`` runs a call through tenacity. Each source passes a
``classify`` function that turns its client library's exception into a
``Retry`` (retry, optionally after the wait the server asked for) or ``None``
(give up at once: a rejected credential, a bad request). Waits are:

- the server's reset hint when there is one (``Retry-After``, X's
  ``x-rate-limit-reset`` epoch, Reddit's ``x-ratelimit-reset`` seconds,
  Mastodon's ISO ``x-ratelimit-reset``), otherwise exponential backoff;
- jittered, never below 0 s and never above ``max_wait_seconds``;
- safe against clock skew: a reset time in the past waits the minimum, a
  reset absurdly far ahead is capped.

After ``max_attempts`` the last error propagates, so the run fails visibly
and its error is stored.
"""

from __future__ import annotations

import email.utils
import logging
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from tenacity import RetryCallState, Retrying, retry_if_exception, stop_after_attempt

log = logging.getLogger(__name__)
T = TypeVar("T")

RETRY_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504, 520, 521, 522, 524})


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 5
    base_seconds: float = 1.0
    max_wait_seconds: float = 900.0
    jitter: float = 0.1  # fraction of the wait added at random
    min_wait_seconds: float = 1.0  # floor for a reset already in the past


@dataclass(frozen=True)
class Retry:
    """Retry this error; ``wait`` is the server's hint in seconds, if any."""

    wait: float | None = None
    reason: str = ""


def _lower(headers: Mapping[str, str] | None) -> dict[str, str]:
    return {k.lower(): str(v) for k, v in (headers or {}).items()}


def wait_from_headers(headers: Mapping[str, str] | None, now: float) -> float | None:
    """Seconds the server asks us to wait, from the headers of a response,
    or None when it gives no hint. Not yet bounded: see ``bounded``."""
    h = _lower(headers)
    if "retry-after" in h:
        value = h["retry-after"].strip()
        try:
            return float(value)
        except ValueError:
            try:  # an HTTP-date; an unparseable one is no hint (look further)
                return email.utils.parsedate_to_datetime(value).timestamp() - now
            except (TypeError, ValueError):
                pass
    for name in ("x-rate-limit-reset", "x-ratelimit-reset", "ratelimit-reset"):
        if name not in h:
            continue
        value = h[name].strip()
        try:
            number = float(value)
        except ValueError:
            try:
                return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp() - now
            except ValueError:
                continue
        # An epoch (X) or seconds-from-now (Reddit, IETF RateLimit): an epoch
        # is a large number; anything under ~10 years of seconds is relative.
        return number - now if number > 315_360_000 else number
    return None


def server_now(headers: Mapping[str, str] | None, fallback: float) -> float:
    """The server's clock from its ``Date`` header, else ``fallback``.

    An absolute reset (an epoch or an ISO time) measured against the clock of
    the server that set it gives the right wait however far ours is off."""
    value = _lower(headers).get("date")
    if value:
        try:
            return email.utils.parsedate_to_datetime(value).timestamp()
        except (TypeError, ValueError):
            pass
    return fallback


def bounded(seconds: float, policy: RetryPolicy) -> float:
    """Clamp a wait into [min, max]; a negative wait (reset already passed,
    or our clock is ahead of the server's) becomes the minimum."""
    if seconds != seconds:  # NaN
        return policy.min_wait_seconds
    return max(policy.min_wait_seconds, min(seconds, policy.max_wait_seconds))


def _jittered(seconds: float, policy: RetryPolicy, rng: random.Random) -> float:
    return min(policy.max_wait_seconds, max(0.0, seconds * (1 + policy.jitter * rng.random())))


def call_with_retry(
    fn: Callable[[], T],
    *,
    classify: Callable[[BaseException], Retry | None],
    policy: RetryPolicy | None = None,
    sleep: Callable[[float], None] | None = None,
    describe: str = "request",
    rng: random.Random | None = None,
) -> T:
    """Call ``fn``, retrying what ``classify`` says is retryable."""
    pol = policy or RetryPolicy()
    rand = rng or random.Random()
    decisions: dict[int, Retry] = {}

    def should_retry(exc: BaseException) -> bool:
        decision = classify(exc)
        if decision is not None:
            decisions[id(exc)] = decision
        return decision is not None

    def wait(state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        decision = decisions.get(id(exc)) if exc is not None else None
        if decision is not None and decision.wait is not None:
            seconds = bounded(decision.wait, pol)
        else:
            seconds = bounded(pol.base_seconds * 2 ** (state.attempt_number - 1), pol)
        seconds = _jittered(seconds, pol, rand)
        if state.attempt_number >= pol.max_attempts:
            return seconds  # tenacity asks for the wait before it checks stop: no retry follows
        log.warning(
            "%s failed (%s); retry %d/%d in %.1f s", describe,
            (decision.reason if decision else "") or type(exc).__name__,
            state.attempt_number, pol.max_attempts - 1, seconds,
        )
        return seconds

    retrying = Retrying(
        stop=stop_after_attempt(pol.max_attempts),
        wait=wait,
        retry=retry_if_exception(should_retry),
        sleep=sleep if sleep is not None else time.sleep,
        reraise=True,
    )
    return retrying(fn)


def classify_http(status: int | None, headers: Mapping[str, str] | None,
                  now: float | None = None) -> Retry | None:
    """The common rule for an HTTP status: 408, 429 and 5xx are retried
    (with the server's wait hint when it gives one); anything else is not."""
    if status is None or (status not in RETRY_STATUSES and not 500 <= status < 600):
        return None
    hint = wait_from_headers(headers, time.time() if now is None else now)
    return Retry(wait=hint, reason=f"HTTP {status}")

"""The one backoff helper: reset headers honoured, waits bounded and
jittered, clock skew harmless, retries bounded, the last error raised."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from email.utils import format_datetime

import pytest

from listener.sources.backoff import (
    Retry,
    RetryPolicy,
    bounded,
    call_with_retry,
    classify_http,
    server_now,
    wait_from_headers,
)

NOW = 1_780_000_000.0  # 2026-05-28, an arbitrary fixed "now"


class Flaky(Exception):
    def __init__(self, status: int, headers: dict[str, str] | None = None) -> None:
        super().__init__(f"HTTP {status}")
        self.status = status
        self.headers = headers or {}


def by_status(exc: BaseException) -> Retry | None:
    if isinstance(exc, Flaky):
        return classify_http(exc.status, exc.headers, now=NOW)
    return None


def failing(errors: list[BaseException], result: str = "done"):
    calls = {"n": 0}

    def fn() -> str:
        calls["n"] += 1
        if errors:
            raise errors.pop(0)
        return result

    return fn, calls


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"Retry-After": "7"}, 7.0),
        ({"retry-after": format_datetime(datetime.fromtimestamp(NOW + 42, UTC), usegmt=True)},
         42.0),
        ({"x-rate-limit-reset": str(int(NOW + 90))}, 90.0),  # X: epoch seconds
        ({"X-Ratelimit-Reset": "600"}, 600.0),  # Reddit: seconds from now
        ({"ratelimit-reset": str(int(NOW + 300))}, 300.0),  # Bluesky: epoch seconds
        ({"x-ratelimit-reset": datetime.fromtimestamp(NOW + 30, UTC).isoformat()}, 30.0),
        ({"x-ratelimit-reset": "2026-05-28T20:40:00Z"}, 13 * 60 + 20),  # Mastodon: ISO
        ({}, None),
        ({"x-ratelimit-reset": "not a time"}, None),
    ],
)
def test_wait_from_headers(headers: dict[str, str], expected: float | None) -> None:
    got = wait_from_headers(headers, NOW)
    if expected is None:
        assert got is None
    else:
        assert got == pytest.approx(expected)


def test_unparseable_retry_after_is_no_hint_not_a_crash() -> None:
    assert wait_from_headers({"Retry-After": "soon-ish"}, NOW) is None
    # and the helper then falls back to a reset header if there is one
    assert wait_from_headers({"Retry-After": "?", "ratelimit-reset": "12"}, NOW) == 12.0


def test_server_now_reads_the_date_header_else_falls_back() -> None:
    date = format_datetime(datetime.fromtimestamp(NOW, UTC), usegmt=True)
    assert server_now({"Date": date}, fallback=0.0) == NOW
    assert server_now({}, fallback=5.0) == 5.0
    assert server_now({"date": "garbage"}, fallback=5.0) == 5.0


def test_an_absolute_reset_measured_on_the_servers_clock_ignores_our_skew() -> None:
    server = NOW
    ours = NOW + 3600  # our clock runs an hour fast
    headers = {"Date": format_datetime(datetime.fromtimestamp(server, UTC), usegmt=True),
               "ratelimit-reset": str(int(server + 45))}
    assert wait_from_headers(headers, server_now(headers, ours)) == pytest.approx(45.0)
    # measured on our own clock the reset looks long past
    assert wait_from_headers(headers, ours) < 0


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [(-500.0, 1.0), (0.0, 1.0), (12.5, 12.5), (10_000.0, 900.0), (float("nan"), 1.0),
     (float("inf"), 900.0)],
)
def test_bounded(seconds: float, expected: float) -> None:
    assert bounded(seconds, RetryPolicy()) == expected


def test_retries_a_429_waiting_what_the_reset_header_asked() -> None:
    waits: list[float] = []
    fn, calls = failing([Flaky(429, {"x-rate-limit-reset": str(int(NOW + 30))})])
    policy = RetryPolicy(jitter=0.1)
    assert call_with_retry(fn, classify=by_status, policy=policy, sleep=waits.append) == "done"
    assert calls["n"] == 2
    assert len(waits) == 1 and 30.0 <= waits[0] <= 33.0


def test_jitter_spreads_waits_but_never_past_the_maximum() -> None:
    policy = RetryPolicy(max_attempts=2, jitter=0.5, max_wait_seconds=100.0)
    waits: list[float] = []
    for seed in range(20):
        fn, _ = failing([Flaky(503, {"Retry-After": "80"})])
        call_with_retry(fn, classify=by_status, policy=policy, sleep=waits.append,
                        rng=random.Random(seed))
    assert all(80.0 <= w <= 100.0 for w in waits)
    assert len({round(w, 3) for w in waits}) > 5  # jittered, not one fixed value


def test_a_reset_far_in_the_future_is_capped() -> None:
    waits: list[float] = []
    fn, _ = failing([Flaky(429, {"x-rate-limit-reset": str(int(NOW + 10 * 86400))})])
    call_with_retry(fn, classify=by_status, policy=RetryPolicy(max_wait_seconds=60.0),
                    sleep=waits.append)
    assert waits == [60.0]


def test_a_reset_already_past_waits_the_minimum_not_a_negative_time() -> None:
    waits: list[float] = []
    fn, _ = failing([Flaky(429, {"x-rate-limit-reset": str(int(NOW - 120))})])
    call_with_retry(fn, classify=by_status, policy=RetryPolicy(jitter=0.0), sleep=waits.append)
    assert waits == [1.0]


def test_a_burst_of_5xx_and_408_is_retried_with_growing_waits() -> None:
    waits: list[float] = []
    fn, calls = failing([Flaky(500), Flaky(502), Flaky(408), Flaky(504)])
    policy = RetryPolicy(max_attempts=5, base_seconds=2.0, jitter=0.0)
    assert call_with_retry(fn, classify=by_status, policy=policy, sleep=waits.append) == "done"
    assert calls["n"] == 5
    assert waits == [2.0, 4.0, 8.0, 16.0]


def test_retries_are_bounded_then_the_last_error_is_raised() -> None:
    waits: list[float] = []
    errors: list[BaseException] = [Flaky(503) for _ in range(10)]
    fn, calls = failing(errors)
    with pytest.raises(Flaky, match="HTTP 503"):
        call_with_retry(fn, classify=by_status, policy=RetryPolicy(max_attempts=3),
                        sleep=waits.append)
    assert calls["n"] == 3 and len(waits) == 2


def test_an_error_classified_as_final_is_raised_at_once() -> None:
    waits: list[float] = []
    fn, calls = failing([Flaky(401)])
    with pytest.raises(Flaky, match="HTTP 401"):
        call_with_retry(fn, classify=by_status, sleep=waits.append)
    assert calls["n"] == 1 and waits == []


def test_classify_http_rules() -> None:
    assert classify_http(404, {}) is None
    assert classify_http(None, {}) is None
    assert classify_http(599, {}) is not None
    hinted = classify_http(429, {"Retry-After": "5"}, now=NOW)
    assert hinted is not None and hinted.wait == 5.0 and hinted.reason == "HTTP 429"


def test_the_log_announces_only_retries_that_happen(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level("WARNING")
    fn, _ = failing([Flaky(503) for _ in range(5)])
    with pytest.raises(Flaky):
        call_with_retry(fn, classify=by_status, policy=RetryPolicy(max_attempts=2),
                        sleep=lambda s: None, describe="GET feed")
    retries = [r.getMessage() for r in caplog.records if "retry" in r.getMessage()]
    assert len(retries) == 1 and "retry 1/1" in retries[0]

"""Logging in to the page (issue 16: "Login has no rate limit or lockout",
"Sessions don't end"): backoff per user and per address, the password hash
checked off the event loop at the same cost for unknown users, a CSRF token
on the login form, and sessions that expire, rotate and end at logout."""

from __future__ import annotations

import asyncio
import hashlib
from datetime import UTC, datetime
from typing import Any

import pytest
import time_machine

from tests.listener.query.builders import PASSWORD

START = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def logged_in(response: Any) -> bool:
    return response.status_code == 302 and "listener_session" in response.cookies


def test_twenty_failures_then_the_right_password_waits_for_the_backoff(browsers: Any) -> None:
    browser = browsers()
    with time_machine.travel(START, tick=False) as clock:
        failures = 0
        while failures < 20:
            answer = browser.login("policy", "wrong guess")
            if answer.status_code == 429:  # backing off: wait it out, then guess again
                clock.shift(int(answer.headers["retry-after"]))
                continue
            assert answer.status_code == 200 and "Invalid username or password" in answer.text
            failures += 1
        refused = browser.login("policy", PASSWORD)
        assert refused.status_code == 429 and not logged_in(refused)
        wait = int(refused.headers["retry-after"])
        assert 60 <= wait <= 15 * 60 and "Too many failed log-ins" in refused.text
        clock.shift(wait - 5)
        assert browser.login("policy", PASSWORD).status_code == 429  # not yet
        clock.shift(6)
        assert logged_in(browser.login("policy", PASSWORD))


def test_backoff_holds_per_user_and_per_address(browsers: Any) -> None:
    guesser = browsers(address="203.0.113.7")
    with time_machine.travel(START, tick=False):
        for _ in range(10):
            guesser.login("policy", "wrong guess")
        # the same user from elsewhere, and another name from the guessing address
        assert browsers(address="198.51.100.2").login("policy", PASSWORD).status_code == 429
        assert guesser.login("someone", "x").status_code == 429
        # an address and user with no failures are untouched
        assert browsers(address="198.51.100.3").login("other", "x").status_code == 200


def test_the_hash_is_checked_off_the_event_loop_at_the_same_cost_for_unknown_users(
        browsers: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[int, bool]] = []
    real = hashlib.pbkdf2_hmac

    def spy(name: str, password: bytes, salt: bytes, iterations: int, *rest: Any) -> bytes:
        try:
            asyncio.get_running_loop()
            on_loop = True
        except RuntimeError:
            on_loop = False
        calls.append((iterations, on_loop))
        return real(name, password, salt, iterations, *rest)

    browser = browsers()
    monkeypatch.setattr(hashlib, "pbkdf2_hmac", spy)
    browser.login("policy", "wrong guess")
    known = list(calls)
    calls.clear()
    browser.login("nobody-by-this-name", "wrong guess")
    unknown = list(calls)
    assert known == unknown == [(480_000, False)]


def test_the_login_form_needs_its_csrf_token(browsers: Any) -> None:
    browser = browsers()
    bare = browser.post("/-/login", {"username": "policy", "password": PASSWORD})
    assert not logged_in(bare) and bare.status_code == 403
    browser.get("/-/login")  # now holds the CSRF cookie, but sends no token
    forged = browser.post("/-/login", {"username": "policy", "password": PASSWORD,
                                       "csrftoken": "made-up"})
    assert not logged_in(forged) and forged.status_code == 403


def test_session_cookie_is_httponly_samesite_and_secure_behind_tls(browsers: Any) -> None:
    plain = browsers().login("policy", PASSWORD)
    cookie = plain.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "max-age=" in cookie
    assert "secure" not in cookie
    tls = browsers(base="https://listener.example").login("policy", PASSWORD)
    assert "; secure" in tls.headers["set-cookie"].lower()


def test_each_login_gets_a_new_session_and_ends_the_old_one(browsers: Any) -> None:
    browser = browsers()
    first = browser.login("policy", PASSWORD).cookies["listener_session"]
    second = browser.login("policy", PASSWORD).cookies["listener_session"]
    assert first != second
    stale = browsers()
    stale.client.cookies.set("listener_session", first)
    assert stale.get("/?q=pothole").status_code == 302


def test_logout_ends_the_session_on_the_server(browsers: Any) -> None:
    browser = browsers()
    session = browser.login("policy", PASSWORD).cookies["listener_session"]
    assert browser.get("/?q=pothole").status_code == 200
    out = browser.post("/-/logout", {"csrftoken": browser.token("/-/logout")})
    assert out.status_code == 302
    assert browser.get("/?q=pothole").status_code == 302
    replay = browsers()  # the old cookie, kept by someone who copied it
    replay.client.cookies.set("listener_session", session)
    answer = replay.get("/?q=pothole")
    assert answer.status_code == 302 and answer.headers["location"].endswith("/-/login")


def test_sessions_expire_when_idle_and_after_their_lifetime(browsers: Any) -> None:
    browser = browsers()
    with time_machine.travel(START, tick=False) as clock:
        browser.login("policy", PASSWORD)
        for _ in range(20):  # active all day: 20 requests 25 minutes apart
            clock.shift(25 * 60)
            if browser.get("/?q=pothole").status_code != 200:
                break
        else:
            pytest.fail("the session outlived its lifetime")
        elapsed = (datetime.now(UTC) - START).total_seconds() / 3600
        assert 7.5 <= elapsed <= 8.5  # web.session_hours: 8
        browser.login("policy", PASSWORD)
        clock.shift(31 * 60)  # web.session_idle_minutes: 30
        assert browser.get("/?q=pothole").status_code == 302


def test_a_signed_ds_actor_cookie_is_not_a_login(site: Any, browsers: Any) -> None:
    browser = browsers()
    browser.client.cookies.set("ds_actor", site.sign({"a": {"id": "policy", "role": "reader"}},
                                                     "actor"))
    answer = browser.get("/?q=pothole")
    assert answer.status_code == 302 and "pothole" not in answer.text.lower()

"""The source contract, over every live source through its real client
library against recorded HTTP in the platform's real payload shape:

- a 429 waits for the reset the platform gave, then collects;
- a burst of 5xx is retried and recovered; a 5xx that persists fails the
  run visibly, with the status in its stored error;
- a timeout is retried, and every request carries the configured timeout;
- a rejected credential fails the run at once, naming the variable, never
  the value;
- a malformed item is quarantined and the rest of its page stored.
"""

from __future__ import annotations

import logging
from typing import Any

import pytest

from listener.pipeline import CollectSummary, collect_source
from listener.privacy.pseudonym import Pseudonymiser
from storage import Store
from tests.listener.sources.harnesses import HARNESSES, Harness, Replay, credentials, no_real_sleep

PSEUDO = Pseudonymiser(b"c" * 32)
WAIT = 42


@pytest.fixture(params=HARNESSES, ids=[h.platform for h in HARNESSES])
def harness(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Harness:
    credentials(monkeypatch)
    no_real_sleep(monkeypatch)
    h: Harness = request.param
    return h


def run(harness: Harness, store: Store, answers: list[Any], *, reject: bool = False,
        **overrides: Any) -> tuple[CollectSummary, list[float], Replay]:
    replay, waits = Replay(list(answers)), []
    source = harness.make(waits, **overrides)
    with harness.serve(replay, reject):
        summary = collect_source(store, "contract", source, PSEUDO)
    return summary, waits, replay


def test_a_429_waits_for_the_reset_the_platform_gave(harness: Harness, store: Store) -> None:
    summary, waits, replay = run(harness, store, [harness.rate_limited(WAIT), *harness.ok()])
    assert (summary.status, summary.new) == ("ok", 2), summary.error
    assert len(waits) == 1 and WAIT - 1 <= waits[0] <= WAIT * 1.1 + 1  # at most 10 % jitter
    assert replay.answers == []


def test_a_burst_of_5xx_is_recovered(harness: Harness, store: Store) -> None:
    burst = [harness.server_error(status) for status in (503, 502, 500)]
    summary, _, replay = run(harness, store, [*burst, *harness.ok()])
    assert (summary.status, summary.new) == ("ok", 2), summary.error
    assert replay.answers == []  # each failed request was asked again (by us or the client)


def test_a_5xx_that_persists_fails_the_run_visibly(harness: Harness, store: Store) -> None:
    summary, _, replay = run(harness, store, [harness.server_error(503)] * 12, max_attempts=2)
    assert summary.status == "failed" and "503" in (summary.error or ""), summary.error
    assert replay.answers, "retries are bounded"
    stored = store.db.execute("SELECT status, error FROM runs WHERE source = 'contract'")
    assert stored.fetchall() == [("failed", summary.error)]


def test_a_timeout_is_retried_and_every_request_carries_the_timeout(
        harness: Harness, store: Store) -> None:
    summary, _, replay = run(harness, store, [harness.timeout(), *harness.ok()],
                             timeout_seconds=7.5)
    assert (summary.status, summary.new) == ("ok", 2), summary.error
    assert replay.answers == []
    assert replay.timeouts and all(t == 7.5 for t in replay.timeouts)


def test_a_rejected_credential_fails_at_once_naming_the_variable_never_the_value(
        harness: Harness, store: Store, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    answers = [harness.rejected] if harness.rejected is not None else []
    summary, waits, replay = run(harness, store, answers, reject=True)
    assert summary.status == "failed" and waits == [] and replay.answers == []
    assert harness.credential or "HTTP 401" in (summary.error or ""), summary.error
    if harness.credential is not None:
        assert "CredentialError" in (summary.error or "")
        assert harness.credential in (summary.error or "")
    if harness.secret is not None:
        stored = repr(store.db.execute("SELECT * FROM runs").fetchall())
        assert harness.secret not in stored + caplog.text


def test_a_malformed_item_is_quarantined_and_the_rest_of_its_page_stored(
        harness: Harness, store: Store) -> None:
    summary, _, _ = run(harness, store, harness.ok(malformed=True))
    assert (summary.status, summary.new, summary.quarantined) == ("ok", 2, 1), summary.error
    error, payload = store.db.execute("SELECT error, payload FROM quarantine").fetchone()
    assert error and payload
    assert store.db.execute("SELECT COUNT(*) FROM posts").fetchone()[0] == 2

"""Deliveries are recorded, retried and never sent twice (issue 16:
"Deliveries are lost on one failure"); Teams gets an Adaptive Card.

A real SMTP server (aiosmtpd) that refuses or answers 451 for a while, and a
real HTTP server (pytest-httpserver) in Teams' and Slack's place."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine
from aiosmtpd.controller import Controller
from pytest_httpserver import HTTPServer

from listener import deliveries
from listener.config import Settings, parse_settings
from listener.reporting import check_alerts, write_weekly_report
from listener.service import tasks
from reports.deliver import webhook_kind
from storage import Store
from tests.cli import Cli
from tests.reports.conftest import Inbox, add_known, free_port, known  # noqa: F401  (fixture)
from tests.reports.test_delivery import spike

NOW = datetime(2026, 11, 25, 8, tzinfo=UTC)


class FlakyInbox(Inbox):
    """Answers ``451`` (try again later) to the first ``failures`` messages."""

    def __init__(self, failures: int) -> None:
        super().__init__()
        self.failures = failures

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.failures > 0:
            self.failures -= 1
            return "451 4.3.0 Mail server temporarily rejected message"
        return await super().handle_DATA(server, session, envelope)


class Relay:
    """A local SMTP relay that can be down (refusing connections) or up."""

    def __init__(self, failures: int = 0) -> None:
        self.port = free_port()
        self.inbox = FlakyInbox(failures)
        self.controller: Controller | None = None

    def up(self) -> None:
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def down(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def relay() -> Iterator[Relay]:
    made = Relay()
    yield made
    made.down()


def settings_for(tmp_path: Path, port: int, *, alerts: str = "", hook_format: str = "auto",
                 backend: str = "sqlite") -> Settings:
    """The config (written as config.yaml); on PostgreSQL its DSN in
    ``$CIVIC_LISTENER_DSN`` (``on_backend_of``)."""
    storage = ("  backend: postgresql\n  dsn_env: CIVIC_LISTENER_DSN\n"
               if backend == "postgresql" else "")
    text = (f"storage:\n{storage}  path: {tmp_path}/listener.db\n  data_dir: {tmp_path}/data\n"
            f"reports:\n  out_dir: {tmp_path}/out\n  formats: [html, md]\n"
            f"  email:\n    smtp_host: 127.0.0.1\n    smtp_port: {port}\n    starttls: false\n"
            "    sender: reports@council.example\n    to: [comms@council.example]\n"
            "    timeout_seconds: 5\n"
            f"  alerts:\n    {alerts or 'email: false'}\n    webhook_format: {hook_format}\n"
            "topics:\n  waste_recycling:\n    label: Bin collections\n    terms: [bin]\n")
    (tmp_path / "config.yaml").write_text(text, encoding="utf-8")
    return parse_settings(text, str(tmp_path / "config.yaml"), check_credentials=False)


def no_wait(seconds: float) -> None:
    pass


@pytest.fixture
def known_any(any_store: Store) -> Store:
    """tests/reports' known weeks, on each backend."""
    return add_known(any_store)


def on_backend_of(store: Store, request: pytest.FixtureRequest,
                  monkeypatch: pytest.MonkeyPatch) -> str:
    """``store``'s backend, for ``settings_for``: the command line reaches the
    same database (on PostgreSQL: ``any_store``'s, through the variable)."""
    if store.backend == "postgresql":
        monkeypatch.setenv("CIVIC_LISTENER_DSN", request.getfixturevalue("pg_dsn"))
    return store.backend


def test_a_report_e_mail_that_failed_is_sent_by_the_next_run_and_only_once(
        known_any: Store, tmp_path: Path, relay: Relay,
        monkeypatch: pytest.MonkeyPatch) -> None:
    settings = settings_for(tmp_path, relay.port)
    monkeypatch.setattr(deliveries, "RETRY", deliveries.RetryPolicy(
        max_attempts=3, base_seconds=0.0, min_wait_seconds=0.0))
    # the relay is down all through the report job: the week is written, the e-mail recorded
    tasks.weekly_report(settings, known_any)
    (delivery,) = known_any.deliveries.recent()
    assert (delivery.kind, delivery.key, delivery.state, delivery.attempts) == (
        "weekly_report", "2026-W47", "failed", 1)
    assert "ConnectionRefusedError" in str(delivery.last_error)

    relay.up()
    tasks.deliver_due(settings, known_any)  # the service's deliveries job, minutes later
    tasks.deliver_due(settings, known_any)
    tasks.weekly_report(settings, known_any)  # even the report job running again sends nothing

    assert len(relay.inbox.messages) == 1
    (delivery,) = known_any.deliveries.recent()
    assert (delivery.state, delivery.attempts, delivery.last_error) == ("sent", 2, None)
    names = {p.get_filename() for p in relay.inbox.messages[0][2].walk() if p.get_filename()}
    assert names == {"report-2026-W47.html", "report-2026-W47.md"}


def test_a_transient_smtp_refusal_is_retried_at_once(known_any: Store, tmp_path: Path) -> None:
    relay = Relay(failures=2)  # 451 twice, then accepted
    relay.up()
    try:
        settings = settings_for(tmp_path, relay.port)
        paths = write_weekly_report(settings, known_any, "2026-W47")
        deliveries.request_report(known_any, "2026-W47", paths)
        waits: list[float] = []
        (outcome,) = deliveries.deliver_due(settings, known_any, sleep=waits.append)
    finally:
        relay.down()
    assert outcome.sent and len(relay.inbox.messages) == 1 and len(waits) == 2
    assert known_any.deliveries.get("weekly_report", "2026-W47", "email").state == "sent"


def test_a_failed_alert_is_not_lost_when_the_day_moves_on(
        any_store: Store, tmp_path: Path, httpserver: HTTPServer) -> None:
    spike(any_store)
    settings = settings_for(tmp_path, free_port(), alerts="webhook_url_env: HOOK")
    env = {"HOOK": httpserver.url_for("/hook")}
    httpserver.expect_request("/hook").respond_with_data("busy", status=503)
    first = check_alerts(settings, any_store, now=NOW, env=env)
    assert [r.states["webhook"].startswith("failed") for r in first] == [True]
    assert len(httpserver.log) == 3  # tried three times at once (the retry helper)

    httpserver.clear()
    httpserver.expect_request("/hook").respond_with_data("1")
    # the next check is a day later: yesterday's alert is still delivered
    later = check_alerts(settings, any_store, now=NOW + timedelta(days=1), env=env)
    again = check_alerts(settings, any_store, now=NOW + timedelta(days=1), env=env)
    assert later == [] and again == []
    assert len(httpserver.log) == 1
    state = any_store.deliveries.get("alert", "waste_recycling:2026-11-24", "webhook")
    assert state is not None and state.state == "sent" and state.attempts == 2


def test_teams_gets_an_adaptive_card(store: Store, tmp_path: Path,
                                     httpserver: HTTPServer) -> None:
    spike(store)
    httpserver.expect_request("/workflows/hook", method="POST").respond_with_data("", 202)
    settings = settings_for(tmp_path, free_port(), alerts="webhook_url_env: TEAMS_HOOK")
    env = {"TEAMS_HOOK": httpserver.url_for("/workflows/hook")}
    (result,) = check_alerts(settings, store, now=NOW, env=env)
    assert result.states == {"webhook": "sent"}
    (request, _), = httpserver.log
    body = request.get_json()
    assert body["type"] == "message" and len(body["attachments"]) == 1
    attachment = body["attachments"][0]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    card = attachment["content"]
    assert card["type"] == "AdaptiveCard" and card["$schema"].endswith("adaptive-card.json")
    assert tuple(int(p) for p in card["version"].split(".")) >= (1, 0)
    assert card["body"] and all(b["type"] == "TextBlock" and b["text"] for b in card["body"])
    assert card["body"][0]["text"] == "Emerging issue: Bin collections"
    assert "30 posts" in card["body"][1]["text"]
    assert "text" not in body  # not the retired connector shape


def test_slack_gets_text(store: Store, tmp_path: Path, httpserver: HTTPServer) -> None:
    spike(store)
    httpserver.expect_request("/slack", method="POST").respond_with_data("ok")
    settings = settings_for(tmp_path, free_port(), alerts="webhook_url_env: HOOK",
                            hook_format="slack")
    check_alerts(settings, store, now=NOW, env={"HOOK": httpserver.url_for("/slack")})
    (request, _), = httpserver.log
    assert request.get_json()["text"].startswith("Emerging issue: Bin collections")
    assert webhook_kind("https://hooks.slack.com/services/T/B/x", "auto") == "slack"
    assert webhook_kind("https://prod-01.uksouth.logic.azure.com/workflows/x", "auto") == "teams"


def test_a_delivery_left_sending_by_a_dead_sender_is_due_again_later(any_store: Store) -> None:
    with time_machine.travel(NOW, tick=False):
        record = any_store.deliveries.request("weekly_report", "2026-W47", "email", {"files": []})
        stale = (NOW - deliveries.STALE_AFTER).isoformat()
        assert any_store.deliveries.claim(record.id, stale_before=stale)  # then the sender died
        assert any_store.deliveries.due(stale_before=stale) == []  # not while it may be sending
        assert not any_store.deliveries.claim(record.id, stale_before=stale)
    later = (NOW + deliveries.STALE_AFTER + timedelta(seconds=1)).isoformat()
    assert [d.id for d in any_store.deliveries.due(stale_before=later)] == [record.id]
    any_store.deliveries.sent(record.id)
    assert any_store.deliveries.due(stale_before=later) == []
    assert any_store.deliveries.request("weekly_report", "2026-W47", "email").state == "sent"


def test_status_check_and_the_deliveries_command_show_a_failed_delivery(
        known_any: Store, tmp_path: Path, cli: Cli, request: pytest.FixtureRequest,
        monkeypatch: pytest.MonkeyPatch) -> None:
    backend = on_backend_of(known_any, request, monkeypatch)
    settings = settings_for(tmp_path, free_port(), backend=backend)
    monkeypatch.setattr(deliveries, "RETRY", deliveries.RetryPolicy(
        max_attempts=1, base_seconds=0.0, min_wait_seconds=0.0))
    tasks.weekly_report(settings, known_any)
    assert settings.path is not None
    status = cli("-c", settings.path, "status", "--check")
    assert status.returncode == 1
    assert "CHECK: delivery weekly_report 2026-W47 by email: not delivered" in status.stdout
    assert f"({known_any.count_posts()} posts)" in status.stdout
    listing = cli("-c", settings.path, "deliveries")
    assert listing.returncode == 1 and "failed" in listing.stdout


def test_report_email_on_the_command_line_is_sent_once_and_recorded(
        known_any: Store, tmp_path: Path, cli: Cli, relay: Relay,
        request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """``listener report --email`` through a local relay, the same on both
    backends: one message with the week's files, one delivery row, sent."""
    settings = settings_for(tmp_path, relay.port,
                            backend=on_backend_of(known_any, request, monkeypatch))
    assert settings.path is not None
    relay.up()
    args = ("-c", settings.path, "report", "--week", "2026-W47", "--format", "md")
    sent = cli(*args, "--email")
    assert sent.returncode == 0, sent.output
    assert "e-mailed to 1 recipient(s)" in sent.stdout
    again = cli(*args, "--email")
    assert again.returncode == 0 and "already e-mailed at " in again.stdout
    [(sender, to, message)] = relay.inbox.messages
    assert (sender, to, message["Subject"]) == (
        "reports@council.example", ["comms@council.example"],
        "Weekly engagement report: 2026-W47")
    [attached] = [p for p in message.walk() if p.get_filename()]
    assert attached.get_filename() == "report-2026-W47.md"
    assert "Bin collections" in attached.get_payload(decode=True).decode()
    listing = cli("-c", settings.path, "deliveries")
    assert listing.returncode == 0, listing.output
    assert listing.stdout.split() == ["weekly_report", "2026-W47", "email", "sent",
                                      "attempts", "1"]

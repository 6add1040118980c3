"""E-mail to a local SMTP server (aiosmtpd), webhook alerts (pytest-httpserver)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from reports import ReportSettings, write_report
from reports.alerts import check_and_send, find_alerts
from reports.config import AlertSettings, EmailSettings
from reports.deliver import DeliveryError, build_message, send_email
from storage import Store
from tests.reports.builders import Spec, add, at
from tests.reports.conftest import CONTEXT, LABELS, NOW, free_port


def test_report_emailed_with_attachments(known: Store, tmp_path: Path, smtp) -> None:
    inbox, cfg = smtp
    paths = write_report(known, "2026-W47", settings=ReportSettings(), topic_labels=LABELS,
                         formats=["html", "md"], out_dir=tmp_path, context=CONTEXT, now=NOW)
    md = next(p for p in paths if p.suffix == ".md")
    send_email(cfg, build_message(cfg, "Weekly report: 2026-W47",
                                  md.read_text(encoding="utf-8"), paths), env={})
    assert len(inbox.messages) == 1
    sender, rcpts, msg = inbox.messages[0]
    assert sender == "reports@council.example"
    assert rcpts == ["comms@council.example", "director@council.example"]
    assert msg["Subject"] == "Weekly report: 2026-W47"
    parts = {p.get_filename(): p for p in msg.walk() if p.get_filename()}
    assert set(parts) == {"report-2026-W47.html", "report-2026-W47.md"}
    html = parts["report-2026-W47.html"].get_payload(decode=True).decode("utf-8")
    assert html == paths[0].read_text(encoding="utf-8")
    body = next(p for p in msg.walk() if p.get_content_type() == "text/plain"
                and not p.get_filename())
    assert "Bin collections" in body.get_payload(decode=True).decode("utf-8")


def test_email_failure_is_clear_and_secret_free(tmp_path: Path) -> None:
    cfg = EmailSettings(smtp_host="127.0.0.1", smtp_port=free_port(), starttls=False,
                        sender="a@b.example", to=["c@d.example"], timeout_seconds=2)
    with pytest.raises(DeliveryError) as info:
        send_email(cfg, build_message(cfg, "s", "b"), env={"SMTP_PASSWORD": "hunter2-secret"})
    assert "hunter2" not in str(info.value) and "127.0.0.1" in str(info.value)


def test_email_needs_recipients() -> None:
    with pytest.raises(DeliveryError, match=r"reports\.email"):
        build_message(EmailSettings(), "s", "b")


def spike(store: Store) -> None:
    """56 quiet days of 2 bin posts a day, then 30 on Tue 24 Nov 2026."""
    specs = []
    for d in range(56):
        day = (datetime(2026, 9, 29, tzinfo=UTC) + timedelta(days=d)).date().isoformat()
        specs += [Spec(when=at(day, 10, k), author=f"q{d}-{k}",
                       topics=[("waste_recycling", ("bin",))]) for k in range(2)]
    specs += [Spec(when=at("2026-11-24", 10, k), author=f"s{k}",
                   topics=[("waste_recycling", ("bin",))]) for k in range(30)]
    add(store, specs)


def test_alert_found_with_its_baseline(store: Store) -> None:
    spike(store)
    alerts = find_alerts(store, datetime(2026, 11, 24).date(), settings=ReportSettings(),
                         topic_labels=LABELS)
    assert [(a.topic, a.posts, a.baseline_mean) for a in alerts] == [("waste_recycling", 30, 2.0)]
    assert "baseline mean of 2.0 a day over the previous 56 days" in alerts[0].text


def test_alert_sent_once_per_topic_per_day(store: Store, smtp, httpserver: HTTPServer) -> None:
    inbox, cfg = smtp
    spike(store)
    httpserver.expect_request("/hook", method="POST").respond_with_data("1")
    settings = ReportSettings(email=cfg, alerts=AlertSettings(email=True,
                                                              webhook_url_env="TEAMS_HOOK"))
    env = {"TEAMS_HOOK": httpserver.url_for("/hook")}
    now = datetime(2026, 11, 25, 8, tzinfo=UTC)
    first = check_and_send(store, settings=settings, topic_labels=LABELS, now=now, env=env)
    second = check_and_send(store, settings=settings, topic_labels=LABELS, now=now, env=env)
    assert [a.channels for a in first] == [("email", "webhook")]
    assert [a.already_sent for a in second] == [True]
    assert len(inbox.messages) == 1 and len(httpserver.log) == 1
    body = httpserver.log[0][0].get_json()
    assert body["text"].startswith("Emerging issue: Bin collections: 30 posts")


def test_failed_alert_is_retried(store: Store, httpserver: HTTPServer) -> None:
    spike(store)
    httpserver.expect_ordered_request("/hook").respond_with_data("down", status=503)
    httpserver.expect_ordered_request("/hook").respond_with_data("1")
    settings = ReportSettings(alerts=AlertSettings(webhook_url_env="HOOK"))
    env = {"HOOK": httpserver.url_for("/hook")}
    now = datetime(2026, 11, 25, 8, tzinfo=UTC)
    assert [a.channels for a in check_and_send(store, settings=settings, topic_labels=LABELS,
                                               now=now, env=env)] == [()]
    assert [a.channels for a in check_and_send(store, settings=settings, topic_labels=LABELS,
                                               now=now, env=env)] == [("webhook",)]

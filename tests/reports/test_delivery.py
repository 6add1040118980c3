"""E-mail to a local SMTP server (aiosmtpd), and the alert check. Delivery
with retries, records and webhooks: tests/listener/test_deliveries.py."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from reports import ReportSettings, write_report
from reports.alerts import find_alerts
from reports.config import EmailSettings
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


def test_scheduled_weekly_report_is_emailed_by_the_service_task(
        known: Store, tmp_path: Path, smtp) -> None:
    from listener.config import parse_settings
    from listener.service import tasks

    inbox, cfg = smtp
    text = (f"storage:\n  path: {tmp_path}/unused.db\n  data_dir: {tmp_path}/data\n"
            f"reports:\n  out_dir: {tmp_path}/out\n  formats: [html, md]\n"
            f"  email:\n    smtp_host: {cfg.smtp_host}\n    smtp_port: {cfg.smtp_port}\n"
            f"    starttls: false\n    sender: {cfg.sender}\n    to: {cfg.to}\n"
            "topics:\n  waste_recycling:\n    label: Bin collections\n    terms: [bin]\n")
    settings = parse_settings(text, str(tmp_path / "config.yaml"), check_credentials=False)
    tasks.weekly_report(settings, known)
    assert len(inbox.messages) == 1
    _, rcpts, msg = inbox.messages[0]
    assert rcpts == cfg.to
    names = {p.get_filename() for p in msg.walk() if p.get_filename()}
    assert names == {f"{p.name}" for p in (tmp_path / "out").iterdir()
                     if p.suffix in (".html", ".md")}

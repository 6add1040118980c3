"""``listener report`` and ``listener alerts check`` as a user runs them."""

from __future__ import annotations

from pathlib import Path

import yaml

from tests.cli import Cli


def test_report_command_writes_each_format(repo_config: Path, tmp_path: Path, cli: Cli) -> None:
    out = tmp_path / "out"
    result = cli("report", "--config", repo_config, "--week", "2026-W47",
                 "--format", "html,md,csv", "--out", out)
    assert result.returncode == 0, result.stderr
    assert f"report: {out / 'report-2026-W47.html'}" in result.stdout
    html = (out / "report-2026-W47.html").read_text(encoding="utf-8")
    assert "Bins, waste and recycling" in html  # the label from config.yaml
    assert (out / "report-2026-W47-topics.csv").exists()
    assert (out / "report-2026-W47.md").exists()


def test_report_command_refuses_a_bad_format_and_week(repo_config: Path, tmp_path: Path,
                                                       cli: Cli) -> None:
    bad = cli("report", "-c", repo_config, "--format", "html,docx", "--out", tmp_path)
    assert bad.returncode == 2 and "docx" in bad.stderr
    week = cli("report", "-c", repo_config, "--week", "2026-W99", "--out", tmp_path)
    assert week.returncode == 2 and "2026 has no week 99" in week.stderr


def test_report_command_names_a_week_typed_in_lowercase_as_iso(
        repo_config: Path, tmp_path: Path, cli: Cli) -> None:
    done = cli("report", "-c", repo_config, "--week", "2026w47", "--format", "md",
               "--out", tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "report-2026-W47.md").exists()


def test_alerts_check_runs(repo_config: Path, cli: Cli) -> None:
    result = cli("alerts", "check", "-c", repo_config)
    assert result.returncode == 0, result.stderr
    assert "no emerging issue" in result.stdout


def test_report_command_emails_the_report(repo_config: Path, tmp_path: Path, smtp,
                                          cli: Cli) -> None:
    inbox, cfg = smtp
    data = yaml.safe_load(repo_config.read_text(encoding="utf-8"))
    data["reports"]["email"] = {"smtp_host": cfg.smtp_host, "smtp_port": cfg.smtp_port,
                                "starttls": False, "sender": cfg.sender, "to": cfg.to}
    repo_config.write_text(yaml.safe_dump(data), encoding="utf-8")
    result = cli("report", "-c", repo_config, "--week", "2026-W47", "--format", "html,md",
                      "--out", tmp_path / "out", "--email")
    assert result.returncode == 0, result.stderr
    assert "e-mailed to 2 recipient(s)" in result.stdout
    (_, rcpts, msg), = inbox.messages
    assert rcpts == cfg.to and msg["Subject"] == "Weekly engagement report: 2026-W47"
    names = {p.get_filename() for p in msg.walk() if p.get_filename()}
    assert names == {"report-2026-W47.html", "report-2026-W47.md"}
    # the body: a plain-text part without Markdown escapes or <br>, and an HTML part
    body = {p.get_content_type(): p.get_payload(decode=True).decode("utf-8")
            for p in msg.walk() if not p.get_filename() and not p.is_multipart()}
    assert set(body) == {"text/plain", "text/html"}
    plain, html = body["text/plain"].replace("\r\n", "\n"), body["text/html"]
    assert "This week in brief\n------------------" in plain
    assert "\\" not in plain and "<br>" not in plain and "| --- |" not in plain
    assert "Bins, waste and recycling | 14 |" in plain  # a table row, unescaped
    assert "<h2>This week in brief</h2>" in html and "<table>" in html
    assert "<script" not in html

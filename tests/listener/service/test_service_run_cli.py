"""``listener run`` at the door: governance refusal and its override, and a
report missed while the service was down is caught up once at start."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import time_machine

from listener.service.scheduler import Schedule, job_specs
from tests.cli import Cli
from tests.listener.service.helpers import LONDON, Recorder, settings_from_yaml
from tests.paths import ROOT

LIVE = """\
storage:
  path: data/live.db
sources:
  toots:
    type: mastodon
    enabled: true
    instances: [127.0.0.1:9]
    hashtags: [potholes]
    interval_minutes: 60
    max_attempts: 1
    timeout_seconds: 2
"""


def test_run_refuses_live_sources_without_governance(tmp_path, cli: Cli):
    config = tmp_path / "config.yaml"
    config.write_text(LIVE)
    result = cli("-c", config, "run")
    assert result.returncode == 2
    assert "refuses to start" in result.output
    for field in ("purpose", "lawful_basis", "dpia_reference", "privacy_notice_url",
                  "data_controller"):
        assert f"governance.{field} is blank, and live sources are enabled (toots)" \
            in result.output
    assert not (tmp_path / "data" / "live.db.lock").exists()


def test_i_understand_overrides_with_a_warning_and_stops_on_sigint(tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text(LIVE + "service:\n  heartbeat_seconds: 1\n")
    log = (tmp_path / "service.log").open("w+")
    env = {**os.environ, "PYTHONPATH": str(ROOT),
           "CIVIC_LISTENER_PSEUDONYM_KEY": "test-key-0123456789abcdef"}
    proc = subprocess.Popen([sys.executable, "-m", "listener", "-c", str(config),
                             "--log-format", "json", "run", "--i-understand"],
                            cwd=ROOT, env=env, stderr=log, text=True)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and "running: pid" not in Path(log.name).read_text():
            assert proc.poll() is None, Path(log.name).read_text()
            time.sleep(0.2)
        proc.send_signal(signal.SIGINT)  # Ctrl-C stops as cleanly as SIGTERM
        assert proc.wait(timeout=60) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    log.seek(0)
    entries = [json.loads(line) for line in log if line.startswith("{")]
    (warning,) = [e for e in entries if "governance check overridden" in e["message"]]
    assert warning["level"] == "warning" and "testing only" in warning["message"]
    assert any("SIGINT received" in e["message"] for e in entries)
    assert any("stopped cleanly" in e["message"] for e in entries)


def test_a_report_missed_while_down_runs_once_at_start(stepped):
    settings = settings_from_yaml("sources: {}\n")
    recorder = Recorder()
    start = datetime(2026, 11, 30, 9, 0, tzinfo=LONDON)  # Monday, two hours late
    with time_machine.travel(start, tick=False) as clock:
        Schedule(stepped).apply(job_specs(settings, recorder, now=datetime.now(UTC)),
                                missed=lambda spec: spec.id == "report")
        stepped.start()
        for minute in range(0, 60, 5):
            clock.move_to(start + timedelta(minutes=minute))
            stepped.step()
    assert recorder.count("report") == 1 and recorder.count("housekeeping") == 0
    assert stepped.get_job("report").next_run_time.astimezone(LONDON) == datetime(
        2026, 12, 7, 7, 0, tzinfo=LONDON)

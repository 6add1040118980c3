"""The real service in a subprocess, on the sample source with second-scale
intervals: a config edit takes effect for posts collected after it, an
invalid edit is survived and reported, a second instance is refused, and
SIGTERM stops it cleanly with nothing lost."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from listener.config import load_settings
from listener.pipeline import topics_hash
from listener.sample import SAMPLE_END, SAMPLE_POSTS, SAMPLE_WEEKS, generate_pages
from storage.driver import sqlite3
from tests.cli import Cli
from tests.paths import ROOT

TIMEOUT = 60.0
COUNCIL = re.compile(r"(?<![@#\w])council\b", re.IGNORECASE)  # the word, not @ExampleCouncil

CONFIG = """\
storage:
  path: data/svc.db
  data_dir: data
sources:
  first:
    type: sample
    seed: 11
    scale: 0.05
    page_size: 20
    interval_minutes: 0.02
  second:
    type: sample
    enabled: false
    seed: 12
    scale: 0.05
    page_size: 10
    interval_minutes: 0.02
topics:
  roads:
    label: Roads
    terms: [pothole]
reports:
  out_dir: out
service:
  reload_check_seconds: 0.5
  heartbeat_seconds: 1
  stop_timeout_seconds: 30
"""


KEY_ENV = {"CIVIC_LISTENER_PSEUDONYM_KEY": "test-key-0123456789abcdef"}


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), **KEY_ENV}


def _rows(db: Path, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def _wait(what: str, check: Callable[[], bool], proc: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        assert proc.poll() is None, f"service exited ({proc.returncode}) while waiting: {what}"
        try:
            if check():
                return
        except sqlite3.OperationalError:
            pass  # the database or a table is not there yet
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for: {what}")


def _all_labelled(db: Path, source: str) -> bool:
    (n, unlabelled), = _rows(db, (
        "SELECT count(*), sum(s.post_id IS NULL) FROM post_matches m"
        " LEFT JOIN label_state s ON s.post_id = m.post_id AND s.task = 'topic'"
        " WHERE m.source = ?"), (source,))
    ok_runs = _rows(db, "SELECT count(*) FROM runs WHERE source = ? AND status = 'ok'", (source,))
    return n > 0 and unlabelled == 0 and ok_runs[0][0] > 0


def _council_labels(db: Path, source: str) -> tuple[int, int, set[str]]:
    """Over the posts only ``source`` stored: (posts saying 'council', of those
    labelled roads with 'council' as evidence, the config hashes labelled under)."""
    rows = _rows(db, (
        "SELECT p.id, p.text, s.config_hash, l.evidence FROM posts p"
        " JOIN post_matches m ON m.post_id = p.id AND m.source = ?"
        " JOIN label_state s ON s.post_id = p.id AND s.task = 'topic'"
        " LEFT JOIN labels l ON l.post_id = p.id AND l.task = 'topic' AND l.label = 'roads'"
        " WHERE NOT EXISTS (SELECT 1 FROM post_matches o WHERE o.post_id = p.id"
        " AND o.source != m.source)"),  # a post both seeds share was stored by the first
        (source,))
    saying = [r for r in rows if COUNCIL.search(r[1])]
    by_council = [r for r in saying if r[3] and "council" in r[3].lower()]
    return len(saying), len(by_council), {r[2] for r in rows}


@pytest.fixture
def service(tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text(CONFIG)
    err = (tmp_path / "service.log").open("w+")
    proc = subprocess.Popen(
        [sys.executable, "-m", "listener", "-c", str(config), "--log-format", "json", "run"],
        cwd=ROOT, env=_env(), stdout=subprocess.DEVNULL, stderr=err, text=True)
    yield config, tmp_path / "data" / "svc.db", proc, err
    if proc.poll() is None:
        proc.kill()
        proc.wait()
    err.close()


def test_service_reloads_survives_a_bad_edit_and_stops_cleanly(service, cli: Cli):
    config, db, proc, err = service
    old_hash = topics_hash(load_settings(config, check_credentials=False))
    _wait("first source collected and classified", lambda: _all_labelled(db, "first"), proc)

    # A second instance on the same database is refused, naming the first.
    second = cli.process("-c", config, "run", env=KEY_ENV, timeout=TIMEOUT)
    assert second.returncode == 3
    assert f"pid {proc.pid}" in second.stderr and "already running" in second.stderr

    # Valid edit: a new topic term, and a new source, while the service runs.
    config.write_text(CONFIG.replace("terms: [pothole]", "terms: [pothole, council]")
                      .replace("    enabled: false\n", ""))
    new_hash = topics_hash(load_settings(config, check_credentials=False))
    _wait("second source collected after the edit", lambda: _all_labelled(db, "second"), proc)
    saying, labelled, hashes = _council_labels(db, "second")
    assert saying > 0 and labelled == saying and hashes == {new_hash}
    saying, labelled, hashes = _council_labels(db, "first")
    assert saying > 0 and labelled == 0 and hashes == {old_hash}  # history: not relabelled
    settings = load_settings(config, check_credentials=False)
    _wait("the new config version is recorded", lambda: json.loads(_rows(
        db, "SELECT value FROM service_state WHERE key = 'config'")[0][0])["hash"]
        == settings.config_hash, proc)

    # Invalid edit: rejected, reported with file and line, service keeps collecting.
    config.write_text(CONFIG.replace("interval_minutes: 0.02\n  second", "interval_minutes: "
                                     "often\n  second"))
    _wait("the service records the rejected edit", lambda: _rows(
        db, "SELECT count(*) FROM service_state WHERE key = 'config_error'")[0][0] == 1, proc)
    runs_then = _rows(db, "SELECT count(*) FROM runs")[0][0]
    _wait("collection goes on", lambda: _rows(db, "SELECT count(*) FROM runs")[0][0]
          > runs_then + 2, proc)
    status = cli.process("-c", config, "status", "--check", env=KEY_ENV, timeout=TIMEOUT)
    assert status.returncode == 1
    assert f"{config}:10: sources.first.interval_minutes" in status.stdout
    assert f"running on config {settings.config_hash}" in status.stdout

    # Fixed, with a slow replay of a new seed; SIGTERM in the middle of it.
    config.write_text(CONFIG.replace("seed: 12", "seed: 13\n    page_delay_seconds: 0.4")
                      .replace("terms: [pothole]", "terms: [pothole, council]")
                      .replace("    enabled: false\n", ""))
    _wait("the slow replay has begun", lambda: _rows(
        db, "SELECT count(*) FROM runs WHERE source = 'second' AND status = 'running'"
        " AND pages >= 2")[0][0] == 1, proc)
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=TIMEOUT) == 0
    err.seek(0)
    log = [json.loads(line) for line in err if line.startswith("{")]
    messages = [e["message"] for e in log]
    assert any("stopped cleanly" in m for m in messages)
    assert any("config edit rejected" in m and f"{config}:10" in m for m in messages)
    assert not any(e["level"] in ("error", "critical") and "edit rejected" not in e["message"]
                   and "problem(s)" not in e["message"] for e in log), messages

    # Nothing lost: every run closed, every stored post counted once, and a
    # later collection resumes after the last committed page.
    assert _rows(db, "SELECT count(*) FROM runs WHERE status = 'running'")[0][0] == 0
    stored = _rows(db, "SELECT count(*) FROM posts")[0][0]
    assert stored == _rows(db, "SELECT sum(new) FROM runs")[0][0]
    stopped_pages, stopped_fetched = _rows(
        db, "SELECT pages, fetched FROM runs WHERE source = 'second' ORDER BY id DESC")[0]
    replay = list(generate_pages(round(SAMPLE_POSTS * 0.05), 13, SAMPLE_WEEKS, SAMPLE_END,
                                 page_size=10))
    assert 2 <= stopped_pages < len(replay)  # stopped part-way through the slow replay
    resumed = cli.process("-c", config, "collect", "--source", "second", env=KEY_ENV,
                          timeout=TIMEOUT)
    assert resumed.returncode == 0, resumed.stderr
    pages, fetched = _rows(db, "SELECT pages, fetched FROM runs WHERE source = 'second'"
                               " ORDER BY id DESC")[0]
    assert stopped_pages + pages == len(replay)  # resumed right after the last committed page
    assert stopped_fetched + fetched == sum(len(page.items) for page in replay)

    # History takes the new keyword list only when asked to.
    relabel = cli.process("-c", config, "classify", "--relabel", env=KEY_ENV, timeout=TIMEOUT)
    assert relabel.returncode == 0, relabel.stderr
    saying, labelled, hashes = _council_labels(db, "first")
    assert saying > 0 and labelled == saying and hashes == {new_hash}

    # No post text in the log.
    texts = [r[0] for r in _rows(db, "SELECT text FROM posts LIMIT 200") if len(r[0]) > 30]
    joined = "\n".join(messages)
    assert texts and not any(text in joined for text in texts)

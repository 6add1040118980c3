"""Collection is crash-safe and idempotent, on the embedded sample source.

A ``listener collect`` killed with SIGKILL part-way and run again ends with
exactly the rows of an uninterrupted run; collecting the same data again
changes no row and keeps every label."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from listener import pipeline
from listener.config import load_settings
from storage import Store
from storage.driver import sqlite3
from tests.cli import Cli
from tests.paths import ROOT

REPO = ROOT
KEY = "test-pseudonym-key-0123456789"


def write_config(folder: Path, page_delay: float = 0.0) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    text = (REPO / "config.yaml").read_text()
    head, _, rest = text.partition("\nsources:\n")
    _, _, tail = rest.partition("\n# ----")
    sample = ("\nsources:\n  sample:\n    type: sample\n    enabled: true\n"
              f"    page_delay_seconds: {page_delay}\n\n# ----")
    config = folder / "config.yaml"
    config.write_text(head + sample + tail)
    return config


def env() -> dict[str, str]:
    return {**os.environ, "CIVIC_LISTENER_PSEUDONYM_KEY": KEY, "PYTHONPATH": str(REPO)}


def snapshot(db: Path) -> dict[str, list[tuple[object, ...]]]:
    conn = sqlite3.connect(db)
    try:
        return {
            "posts": conn.execute(
                "SELECT platform, native_id, url, text, created_at, author_key, author_handle,"
                " likes, content_hash FROM posts ORDER BY platform, native_id").fetchall(),
            "matches": conn.execute(
                "SELECT p.platform, p.native_id, m.source, m.query FROM post_matches m"
                " JOIN posts p ON p.id = m.post_id ORDER BY 1, 2, 3, 4").fetchall(),
            "raw": conn.execute(
                "SELECT p.platform, p.native_id, r.payload FROM raw_payloads r"
                " JOIN posts p ON p.id = r.post_id ORDER BY 1, 2").fetchall(),
            "quarantine": conn.execute(
                "SELECT platform, error, payload FROM quarantine ORDER BY 1, 2, 3").fetchall(),
        }
    finally:
        conn.close()


def count_posts(db: Path) -> int:
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            return int(conn.execute("SELECT count(*) FROM posts").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


def test_sigkill_mid_collect_then_resume_equals_an_uninterrupted_run(tmp_path: Path,
                                                                     cli: Cli) -> None:
    whole = write_config(tmp_path / "whole")
    assert cli.process("-c", whole, "collect", env=env()).returncode == 0
    expected = snapshot(tmp_path / "whole" / "data" / "civic-listener.db")
    total = len(expected["posts"])
    assert total >= 1500

    killed = write_config(tmp_path / "killed", page_delay=0.05)
    db = tmp_path / "killed" / "data" / "civic-listener.db"
    proc = subprocess.Popen([sys.executable, "-m", "listener", "-c", str(killed), "collect"],
                            cwd=REPO, env=env(), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while count_posts(db) < total // 3 and time.monotonic() < deadline:
        assert proc.poll() is None, "collect finished before it could be killed"
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    part = count_posts(db)
    assert 0 < part < total, f"kill landed at {part} of {total} posts"

    resumed = cli.process("-c", killed, "collect", env=env())
    assert resumed.returncode == 0, resumed.stderr
    assert snapshot(db) == expected
    runs = sqlite3.connect(db).execute("SELECT status FROM runs ORDER BY id").fetchall()
    assert runs == [("interrupted",), ("ok",)]


def test_collecting_the_same_data_again_changes_no_row_and_keeps_labels(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CIVIC_LISTENER_PSEUDONYM_KEY", KEY)
    settings = load_settings(write_config(tmp_path / "c"))
    store = Store.open(settings.database_path)
    (first,) = pipeline.collect(settings, store)
    assert first.new >= 1500
    pipeline.classify(settings, store)
    tables = ("posts", "labels", "label_state", "raw_payloads", "post_matches")
    before = {t: store.db.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall() for t in tables}
    assert before["labels"], "classification wrote no labels"

    (incremental,) = pipeline.collect(settings, store)
    assert (incremental.new, incremental.fetched) == (0, 0)

    store.db.execute("DELETE FROM cursors")  # replay everything from the start
    store.db.conn.commit()
    (again,) = pipeline.collect(settings, store)
    assert again.new == 0 and again.duplicates == first.new + first.duplicates
    after = {t: store.db.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall() for t in tables}
    assert after == before


def test_collect_by_hand_refuses_while_the_service_holds_the_database(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli: Cli) -> None:
    from listener.service.lock import InstanceLock, lock_path_for

    monkeypatch.setenv("CIVIC_LISTENER_PSEUDONYM_KEY", KEY)
    config = write_config(tmp_path / "c")
    settings = load_settings(config)
    with InstanceLock(lock_path_for(settings.database_path), "run"):
        refused = cli("-c", config, "collect")
    assert refused.returncode == 3
    assert f"pid {os.getpid()}" in refused.output and "listener run" in refused.output
    assert count_posts(settings.database_path) == 0
    done = cli("-c", config, "collect")  # free again
    assert done.returncode == 0, done.output
    assert count_posts(settings.database_path) >= 1500

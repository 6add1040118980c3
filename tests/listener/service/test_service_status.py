"""``listener status``: health per source, and ``--check`` for monitoring;
on each backend (the config names a SQLite file or a PostgreSQL database)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from listener.config import load_settings
from listener.service.reload import record_config
from storage import Store
from tests.cli import Cli

CONFIG = """\
storage:
  path: data/test.db
sources:
  quiet:
    type: sample
    interval_minutes: 30
  broken:
    type: sample
    interval_minutes: 30
  spare:
    type: sample
    enabled: false
"""
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
# the storage block on PostgreSQL, in as many lines (the tests quote line numbers)
PG_STORAGE = ("storage: {path: data/test.db,\n"
              "  backend: postgresql, dsn_env: CIVIC_LISTENER_DSN}\n")


@pytest.fixture(params=["sqlite", "postgresql"])
def env(request, tmp_path, monkeypatch):
    path = tmp_path / "config.yaml"
    if request.param == "postgresql":
        monkeypatch.setenv("CIVIC_LISTENER_DSN", request.getfixturevalue("pg_dsn"))
        path.write_text(CONFIG.replace("storage:\n  path: data/test.db\n", PG_STORAGE))
    else:
        path.write_text(CONFIG)
    settings = load_settings(path)
    store = Store.from_settings(settings.storage, settings.database_path)
    assert store.backend == request.param
    yield path, settings, store
    store.close()


def _run(store: Store, source: str, at: datetime, status: str, new: int = 0,
         error: str | None = None) -> None:
    with time_machine.travel(at, tick=False):
        run_id = store.runs.start(source)
        with store.sql.transaction():
            store.sql.execute("UPDATE runs SET new = ? WHERE id = ?", [new, run_id])
        store.runs.finish(run_id, status, error)


def _status(cli: Cli, path, *args: str) -> tuple[int, str]:
    with time_machine.travel(NOW, tick=False):
        done = cli("-c", path, "status", *args)
    return done.returncode, done.output


def test_never_collected_sources_fail_the_check(env, cli):
    path, *_ = env
    code, out = _status(cli, path, "--check")
    assert code == 1
    assert "quiet: no successful collection yet" in out
    assert "spare" in out and "spare: " not in out.split("CHECK:")[-1]


def test_no_new_posts_is_told_apart_from_failing(env, cli):
    path, _, store = env
    _run(store, "quiet", NOW - timedelta(hours=2), "ok", new=5)
    _run(store, "quiet", NOW - timedelta(minutes=40), "ok")
    _run(store, "quiet", NOW - timedelta(minutes=10), "ok")
    _run(store, "broken", NOW - timedelta(minutes=50), "ok", new=3)
    _run(store, "broken", NOW - timedelta(minutes=20), "failed", error="SourceError: HTTP 503")
    _run(store, "broken", NOW - timedelta(minutes=5), "failed", error="SourceError: HTTP 503")
    code, out = _status(cli, path, "--check")
    assert "health: no new posts; every 30 min" in out
    assert "runs succeed but found nothing new (2 run(s) in a row)" in out
    assert "health: failing (PROBLEM)" in out
    assert "CHECK: broken: failing: 2 failed run(s) in a row" in out
    assert "HTTP 503" in out
    assert "CHECK: quiet" not in out
    assert code == 1


def test_stale_after_twice_the_interval(env, cli):
    path, _, store = env
    _run(store, "quiet", NOW - timedelta(minutes=59), "ok", new=1)
    _run(store, "broken", NOW - timedelta(minutes=61), "ok", new=1)
    code, out = _status(cli, path, "--check")
    assert "CHECK: broken: stale: last success" in out
    assert "CHECK: quiet" not in out
    assert code == 1
    _run(store, "broken", NOW - timedelta(minutes=1), "ok", new=1)
    code, out = _status(cli, path, "--check")
    assert code == 0 and "check: OK" in out


def test_next_run_and_service_come_from_the_running_service(env, cli):
    path, settings, store = env
    state = store.service
    _run(store, "quiet", NOW - timedelta(minutes=1), "ok", new=1)
    _run(store, "broken", NOW - timedelta(minutes=1), "ok", new=1)
    with time_machine.travel(NOW - timedelta(seconds=20), tick=False):
        state.put("instance", {"pid": 4321, "host": "box",
                               "started_at": "2026-11-20T11:00:00+00:00"})
        state.put("heartbeat", {"at": "2026-11-20T11:59:40+00:00"})
        state.set_next_runs({"collect:quiet": "2026-11-20T12:29:00+00:00",
                             "report": "2026-11-23T07:00:00+00:00",
                             "housekeeping": "2026-11-21T03:15:00+00:00"})
        state.job_started("housekeeping", "2026-11-21T03:15:00+00:00")
        state.job_finished("housekeeping", "failed", "OSError: disk full")
        record_config(state, settings)
    code, out = _status(cli, path, "--check")
    assert "service: running (pid 4321 on box" in out
    assert "next run: 2026-11-20T12:29:00+00:00" in out
    assert f"config in force: version {settings.config_hash}" in out
    assert "report: never run; next run 2026-11-23T07:00:00+00:00" in out
    assert "housekeeping: last run 2026-11-20T11:59:40+00:00 (20 s ago) failed " \
           "(OSError: disk full); next run 2026-11-21T03:15:00+00:00" in out
    assert "CHECK: housekeeping: the last run failed (OSError: disk full)" in out
    assert "CHECK: quiet" not in out and "CHECK: broken" not in out
    assert code == 1


def test_a_rejected_edit_is_shown_and_fails_the_check_even_with_a_broken_file(env, cli):
    path, settings, store = env
    _run(store, "quiet", NOW - timedelta(minutes=1), "ok", new=1)
    _run(store, "broken", NOW - timedelta(minutes=1), "ok", new=1)
    store.config_versions.record(settings.config_hash, settings.config_text, str(path))
    state = store.service
    record_config(state, settings)
    state.put("config_error", {"detected_at": "2026-11-20T11:58:00+00:00",
                               "running_on": settings.config_hash,
                               "problems": [{"text": f"{path}:5: sources.quiet: oops"}]})
    path.write_text(path.read_text().replace("interval_minutes: 30\n  broken",
                                             "interval_minutes: x\n  broken"))
    code, out = _status(cli, path, "--check")
    assert f"{path}:6: sources.quiet.interval_minutes" in out  # the file as it is now
    assert f"showing the last good config in force, version {settings.config_hash}" in out
    assert f"running on config {settings.config_hash}" in out
    assert "CHECK: config: the latest edit of the config was rejected" in out
    assert "quiet (sample, enabled)" in out
    assert code == 1

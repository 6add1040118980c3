"""The jobs as the service runs them, in-process on the sample source."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
import time_machine

from listener.config import load_settings
from listener.service.connections import StorePool
from listener.service.jobs import Jobs

CONFIG = """\
storage:
  path: data/jobs.db
sources:
  sample:
    type: sample
    scale: 0.05
    page_size: 25
  broken:
    type: file
    path: does-not-exist.csv
    enabled: true
topics:
  bins:
    label: Bins
    terms: [bin, rubbish]
reports:
  out_dir: out
  formats: [md]
"""


@pytest.fixture
def jobs(tmp_path, monkeypatch):
    monkeypatch.setenv("CIVIC_LISTENER_PSEUDONYM_KEY", "test-key-0123456789abcdef")
    (tmp_path / "config.yaml").write_text(CONFIG)
    settings = load_settings(tmp_path / "config.yaml")
    pool = StorePool(settings.database_path)
    yield Jobs(settings, pool, threading.Event())
    pool.close_all()


def test_collect_then_classify_and_record(jobs):
    jobs.collect("sample")
    store = jobs.pool.get()
    posts = store.count_posts()
    assert posts > 0
    assert sum(len(b) for b in store.labels.posts_to_label("topic")) == 0  # all classified
    state = store.service.jobs()["collect:sample"]
    assert state.last_status == "ok" and state.last_error is None
    assert state.last_success_at is not None


def test_a_failing_source_is_recorded_and_does_not_raise(jobs):
    jobs.collect("broken")
    store = jobs.pool.get()
    state = store.service.jobs()["collect:broken"]
    assert state.last_status == "failed" and state.last_error
    assert store.runs.last("broken").status == "failed"


def test_weekly_report_is_written(jobs, tmp_path):
    jobs.collect("sample")
    with time_machine.travel(datetime(2026, 11, 30, 7, 0, tzinfo=UTC), tick=False):
        jobs.report()
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["report-2026-W47.md"]
    assert jobs.pool.get().service.jobs()["report"].last_status == "ok"


def test_nothing_starts_once_stop_is_set(jobs):
    jobs.stop.set()
    jobs.collect("sample")
    assert jobs.pool.get().runs.last("sample") is None
    assert jobs.wait_idle(0.1)


def test_housekeeping_purges_by_retention(jobs):
    jobs.collect("sample")
    store = jobs.pool.get()
    assert store.count_posts() > 0
    with time_machine.travel(datetime(2026, 11, 30, 3, 15, tzinfo=UTC), tick=False):
        jobs.housekeeping()  # a week after the sample's last post: nothing past 400 days
    assert store.count_posts() > 0
    with time_machine.travel(datetime(2028, 1, 10, 3, 15, tzinfo=UTC), tick=False):
        jobs.housekeeping()
    assert store.count_posts() == 0
    state = store.service.jobs()["housekeeping"]
    assert state.last_status == "ok", state.last_error


def test_an_immediate_team_gets_its_digest_after_each_collection(tmp_path, monkeypatch,
                                                                 httpserver):
    monkeypatch.setenv("CIVIC_LISTENER_PSEUDONYM_KEY", "test-key-0123456789abcdef")
    httpserver.expect_request("/bins", method="POST").respond_with_data("1")
    monkeypatch.setenv("BINS_HOOK", httpserver.url_for("/bins"))
    (tmp_path / "config.yaml").write_text(CONFIG + """routing:
  max_age_days: 90
  teams:
    - {name: bins, topics: [bins], webhook_url_env: BINS_HOOK, schedule: immediate}
""")
    settings = load_settings(tmp_path / "config.yaml")
    pool = StorePool(settings.database_path)
    try:
        jobs = Jobs(settings, pool, threading.Event())
        jobs.collect("sample")
        jobs.collect("sample")  # nothing new: nothing sent again
        sent, waiting = pool.get().routing.counts("bins", "webhook")
    finally:
        pool.close_all()
    assert len(httpserver.log) == 1 and sent > 0 and waiting == 0
    assert f"bins: {sent} posts from residents" in httpserver.log[0][0].get_data(as_text=True)

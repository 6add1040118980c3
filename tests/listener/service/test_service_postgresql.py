"""Two real services (``listener run`` subprocesses) sharing one PostgreSQL
database, both serving the same two feeds (issue 21): a source is never
collected by both at once, and the weekly report is run by one of them.

The feeds are served here (pytest-httpserver, threaded). The first fetch of
each feed is held until the other service is seen skipping that source (it
logs so) or fetching it too: so both services certainly try the same source
at the same moment, and without the per-source lock the two collections
would overlap (the test then sees two fetches of one feed at once, and
overlapping runs in the runs table).
"""

from __future__ import annotations

import itertools
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

import psycopg
import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from tests.cli import Cli
from tests.listener.platforms.recorded.builders import rss_feed, rss_item
from tests.paths import ROOT

TIMEOUT = 120.0
SOURCES = ("alpha", "beta")
RSS = "application/rss+xml; charset=utf-8"
DSN_ENV = "CIVIC_TEST_SERVICE_DSN"
ROUNDS = 4  # finished runs of each source before the services are stopped

CONFIG = """\
storage:
  backend: postgresql
  dsn_env: {dsn_env}
  path: data/svc.db
sources:
  alpha:
    type: rss
    enabled: true
    feeds: ["{alpha}"]
    interval_minutes: 0.02
    max_attempts: 1
  beta:
    type: rss
    enabled: true
    feeds: ["{beta}"]
    interval_minutes: 0.02
    max_attempts: 1
topics:
  roads:
    label: Roads
    terms: [road]
reports:
  out_dir: out
  formats: [md]
service:
  reload_check_seconds: 5
  heartbeat_seconds: 5
  stop_timeout_seconds: 60
  max_parallel_jobs: 3
governance:
  purpose: test of several collectors on one database
  lawful_basis: public task
  dpia_reference: DPIA-TEST-1
  privacy_notice_url: https://www.example.gov.uk/privacy
  data_controller: Example Council
"""


class Feeds:
    """Serves each source's feed; holds a source's fetches until it is
    released, and counts the fetches of each source under way at once."""

    def __init__(self) -> None:
        self.cond = threading.Condition()
        self.inside: Counter[str] = Counter()
        self.most: Counter[str] = Counter()
        self.released: set[str] = set()

    def release(self, source: str) -> None:
        with self.cond:
            self.released.add(source)
            self.cond.notify_all()

    def handler(self, source: str) -> Callable[[Request], Response]:
        def handle(request: Request) -> Response:
            with self.cond:
                self.inside[source] += 1
                self.most[source] = max(self.most[source], self.inside[source])
                self.cond.notify_all()
                # held until the other service skips it, or fetches it too
                self.cond.wait_for(lambda: source in self.released or self.inside[source] > 1,
                                   timeout=TIMEOUT)
                if self.inside[source] > 1:
                    self.released.add(source)
                self.inside[source] -= 1
            seq = 100 if source == "alpha" else 200
            body = rss_feed([rss_item(seq + n, title=f"{source} road notice {n}")
                             for n in range(3)])
            return Response(body, content_type=RSS)
        return handle


@pytest.fixture
def feeds() -> Iterator[tuple[Feeds, HTTPServer]]:
    server = HTTPServer(threaded=True)
    server.start()
    served = Feeds()
    for source in SOURCES:
        server.expect_request(f"/{source}.rss").respond_with_handler(served.handler(source))
    yield served, server
    served.release("alpha")
    served.release("beta")
    server.clear()
    if server.is_running():
        server.stop()


def _rows(dsn: str, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    with psycopg.connect(dsn) as conn:
        return conn.execute(sql.encode(), params).fetchall()


def _messages(log: Path) -> list[str]:
    out = []
    for line in log.read_text(encoding="utf-8").splitlines():
        if line.startswith("{"):
            out.append(str(json.loads(line)["message"]))
    return out


def _collected(messages: list[str]) -> list[str]:
    """The service's lines for a collection it made."""
    return [m for m in messages if m.startswith(("source alpha:", "source beta:"))
            and " pages, " in m]


def _took_part(messages: list[str]) -> bool:
    """The service collected a source, or skipped one another service held."""
    return bool(_collected(messages)) or any(_skipped(messages, s) for s in SOURCES)


def _skipped(messages: list[str], source: str) -> bool:
    return any(m.startswith(f"source {source}: being collected by another process")
               for m in messages)


def test_two_services_never_collect_a_source_at_once_and_report_once(
        tmp_path: Path, pg_dsn: str, feeds: tuple[Feeds, HTTPServer], cli: Cli) -> None:
    served, server = feeds
    # The report's last turn went unserved (the services were down): each
    # catches it up at start, and one of them runs it.
    _rows(pg_dsn, "INSERT INTO service_jobs (job, last_started_at, last_success_at, updated_at)"
          " VALUES ('report', '2020-01-06T07:00:00+00:00', '2020-01-06T07:00:00+00:00',"
          " '2020-01-06T07:00:00+00:00') RETURNING job")
    env = {**os.environ, "PYTHONPATH": str(ROOT), DSN_ENV: pg_dsn,
           "CIVIC_LISTENER_PSEUDONYM_KEY": "test-key-0123456789abcdef"}
    procs: list[subprocess.Popen[str]] = []
    logs: list[Path] = []
    files: list[IO[str]] = []
    try:
        for n in range(2):
            home = tmp_path / f"service{n}"
            home.mkdir()
            config = home / "config.yaml"
            config.write_text(CONFIG.format(dsn_env=DSN_ENV, alpha=server.url_for("/alpha.rss"),
                                            beta=server.url_for("/beta.rss")))
            logs.append(home / "service.log")
            files.append(logs[-1].open("w"))
            procs.append(subprocess.Popen(
                [sys.executable, "-m", "listener", "-c", str(config), "--log-format", "json",
                 "run"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=files[-1],
                text=True))

        def finished_runs() -> dict[str, int]:
            return dict(_rows(pg_dsn, "SELECT source, count(*) FROM runs WHERE status = 'ok'"
                                      " GROUP BY source"))

        def report_done() -> bool:
            return bool(_rows(pg_dsn, "SELECT count(*) FROM job_claims c JOIN service_jobs j"
                                      " ON j.job = c.job WHERE c.job = 'report' AND"
                                      " j.last_finished_at >= c.claimed_at")[0][0])

        deadline = time.monotonic() + 3 * TIMEOUT
        while True:
            for proc, log in zip(procs, logs, strict=True):
                assert proc.poll() is None, \
                    f"a service exited ({proc.returncode}):\n{log.read_text()[-3000:]}"
            messages = [m for log in logs for m in _messages(log)]
            for source in SOURCES:
                if _skipped(messages, source):
                    served.release(source)
            if any(n > 1 for n in served.most.values()):
                break  # a feed fetched twice at once: the checks below say so
            runs = finished_runs()
            # until both took part (on a loaded machine one service may start
            # long after the other: a held fetch is let go after TIMEOUT)
            if (all(runs.get(s, 0) >= ROUNDS for s in SOURCES) and report_done()
                    and all(_took_part(_messages(log)) for log in logs)
                    and all(_skipped(messages, s) for s in SOURCES)):
                break
            assert time.monotonic() < deadline, f"timed out: runs {runs}, log {messages[-20:]}"
            time.sleep(0.2)
    finally:
        for source in SOURCES:  # nothing stays held: the services can stop
            served.release(source)
        for proc in procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        codes = []
        for proc in procs:
            try:
                codes.append(proc.wait(timeout=TIMEOUT))
            except subprocess.TimeoutExpired:
                proc.kill()
                codes.append(proc.wait())
        for f in files:
            f.close()
    assert codes == [0, 0]
    per_service = [_messages(log) for log in logs]

    # Never two fetches of one feed at once, and no two runs of a source overlap.
    assert dict(served.most) == {"alpha": 1, "beta": 1}
    for source in SOURCES:
        spans = _rows(pg_dsn, "SELECT id, started_at, ended_at, status FROM runs"
                              " WHERE source = %s ORDER BY id", (source,))
        assert spans and all(status == "ok" and ended for _, _, ended, status in spans), spans
        for (_, _, ended, _), (_, started, _, _) in itertools.pairwise(spans):
            assert started >= ended, (source, spans)

    # Both services took part (each collected a source, or skipped one while
    # the other held it: which of them wins a round is the scheduler's
    # timing), someone collected, and each source was skipped by one of them
    # while the other held it.
    assert all(_took_part(ms) for ms in per_service), per_service
    assert any(_collected(ms) for ms in per_service), per_service
    everything = [m for ms in per_service for m in ms]
    assert all(_skipped(everything, s) for s in SOURCES)

    # The weekly report: claimed once, run by one service; the other skipped it.
    claims = _rows(pg_dsn, "SELECT period, holder FROM job_claims WHERE job = 'report'")
    assert len(claims) == 1
    ran = [[m for m in ms if m.startswith("job report for ") and "claimed by this" in m]
           for ms in per_service]
    assert sorted(len(r) for r in ran) == [0, 1], ran
    runner = 0 if ran[0] else 1
    assert claims[0][1].endswith(f":{procs[runner].pid}")
    assert not any(m.startswith("job report for ") and "claimed by this" in m
                   for m in per_service[1 - runner])

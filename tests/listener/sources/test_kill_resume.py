"""A collection killed with SIGKILL part-way through a paged feed, then
resumed, ends with every post stored exactly once: the same posts, matches,
raw payloads and cursor as a run that was never interrupted.

The collector runs as a real subprocess (``python -m listener collect``)
against a paged Atom feed (RFC 5005) on a local HTTP server. The server holds
the request for page 3 open; by then pages 1 and 2 are committed, and the
process is killed while it waits.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from storage.driver import sqlite3
from tests.listener.platforms.recorded.builders import atom_feed
from tests.paths import ROOT

REPO = ROOT
PAGES = 5
PER_PAGE = 4
ATOM = "application/atom+xml; charset=utf-8"


class PagedFeed:
    """Serves /planning.atom?page=N; the first request for page 3 hangs
    until released, so a client asking for it is caught mid-collection."""

    def __init__(self, server: HTTPServer) -> None:
        self.server = server
        self.requests: list[int] = []
        self.page3_asked = threading.Event()
        self.release = threading.Event()
        self.hold = True

    def __call__(self, request: Request) -> Response:
        page = int(request.args.get("page", "1"))
        self.requests.append(page)
        if page == 3 and self.hold:
            self.hold = False
            self.page3_asked.set()
            self.release.wait(60)
        first = 100 - (page - 1) * PER_PAGE  # newest first, across pages
        entries = list(range(first, first - PER_PAGE, -1))
        following = (self.server.url_for(f"/planning.atom?page={page + 1}")
                     if page < PAGES else None)
        return Response(atom_feed(entries, next_href=following), content_type=ATOM,
                        headers={"ETag": '"planning-v1"'})


def write_config(directory: Path, feed: str) -> Path:
    directory.mkdir()
    config = directory / "config.yaml"
    config.write_text(f"""
storage:
  path: listener.db
sources:
  planning:
    type: rss
    enabled: true
    feeds: ["{feed}"]
    max_pages: 20
    max_attempts: 1
governance:
  purpose: test of kill and resume
  lawful_basis: public task
  dpia_reference: DPIA-TEST-1
  privacy_notice_url: https://www.example.gov.uk/privacy
  data_controller: Example Council
""", encoding="utf-8")
    return config


def collector(config: Path) -> subprocess.Popen[bytes]:
    env = dict(os.environ, PYTHONPATH=str(REPO),
               CIVIC_LISTENER_PSEUDONYM_KEY="kill-resume-test-key-0123456789")
    return subprocess.Popen([sys.executable, "-m", "listener", "-c", str(config), "collect"],
                            cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def snapshot(db: Path) -> dict[str, object]:
    with sqlite3.connect(db) as conn:
        return {
            "posts": sorted(r[0] for r in conn.execute("SELECT native_id FROM posts")),
            "post_count": conn.execute("SELECT COUNT(*) FROM posts").fetchone()[0],
            "matches": conn.execute("SELECT COUNT(*) FROM post_matches").fetchone()[0],
            "raw": conn.execute("SELECT COUNT(*) FROM raw_payloads").fetchone()[0],
            "cursor": dict(conn.execute("SELECT key, value FROM cursors").fetchall()),
            "runs": conn.execute("SELECT status, pages, new, duplicates FROM runs ORDER BY id")
                        .fetchall(),
        }


def test_killed_mid_collection_then_resumed_loses_nothing_and_doubles_nothing(
        tmp_path: Path, httpserver: HTTPServer) -> None:
    feed = PagedFeed(httpserver)
    httpserver.expect_request("/planning.atom").respond_with_handler(feed)
    url = httpserver.url_for("/planning.atom")

    # 1. start, wait until it asks for page 3 (pages 1-2 committed), SIGKILL it
    killed = write_config(tmp_path / "killed", url)
    proc = collector(killed)
    try:
        assert feed.page3_asked.wait(120), proc.communicate(timeout=5)
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
    finally:
        feed.release.set()
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL
    mid = snapshot(tmp_path / "killed" / "listener.db")
    assert mid["post_count"] == 2 * PER_PAGE
    assert mid["runs"] == [("running", 2, 8, 0)]
    assert mid["cursor"][f"{url}|next"].endswith("page=3")

    # 2. resume: it continues at page 3, never fetching pages 1-2 again
    feed.requests.clear()
    resumed = collector(killed)
    _out, err = resumed.communicate(timeout=120)
    assert resumed.returncode == 0, err.decode()
    assert feed.requests == [3, 4, 5]
    after = snapshot(tmp_path / "killed" / "listener.db")
    assert after["runs"] == [("interrupted", 2, 8, 0), ("ok", 3, 12, 0)]

    # 3. an uninterrupted run of the same feed, for comparison
    whole = write_config(tmp_path / "whole", url)
    feed.requests.clear()
    full = collector(whole)
    _out, err = full.communicate(timeout=120)
    assert full.returncode == 0, err.decode()
    assert feed.requests == [1, 2, 3, 4, 5]
    reference = snapshot(tmp_path / "whole" / "listener.db")

    assert reference["post_count"] == PAGES * PER_PAGE
    for key in ("posts", "post_count", "matches", "raw", "cursor"):
        assert after[key] == reference[key], key
    assert after["raw"] == after["post_count"] == after["matches"]


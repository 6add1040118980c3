"""Kill a real collector at random moments, resume it, count what was lost
or doubled.

A local HTTP server serves a paged Atom feed (RFC 5005 ``rel="next"``) of
PAGES pages with a small delay per request. Each trial starts
``python -m listener collect`` on a fresh database, SIGKILLs it after a
random delay, then runs it again to completion and compares the stored
posts with the feed. Prints, per trial, how many posts the kill left and
whether the resumed database is exact, then the totals.

    .venv/bin/python bench/kill_resume_rss.py [trials] [seed]
"""

from __future__ import annotations

import contextlib
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from storage.driver import sqlite3

REPO = Path(__file__).resolve().parents[1]
PAGES, PER_PAGE, DELAY = 10, 10, 0.2


def feed(page: int, base: str) -> bytes:
    first = PAGES * PER_PAGE - (page - 1) * PER_PAGE
    entries = "".join(
        f"<entry><title>Notice {n}</title><id>tag:bench.example,2026:{n}</id>"
        f'<link rel="alternate" href="https://bench.example/{n}"/>'
        f"<updated>2026-11-{1 + n % 28:02d}T10:00:00Z</updated>"
        f"<summary>Road works notice number {n}</summary></entry>"
        for n in range(first, first - PER_PAGE, -1))
    following = f'<link rel="next" href="{base}?page={page + 1}"/>' if page < PAGES else ""
    return (f'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>Bench</title><id>tag:bench.example,2026:feed</id>"
            f"<updated>2026-11-25T10:00:00Z</updated>{following}{entries}</feed>").encode()


class Handler(BaseHTTPRequestHandler):
    base = ""

    def do_GET(self) -> None:
        time.sleep(DELAY)
        page = int(parse_qs(urlsplit(self.path).query).get("page", ["1"])[0])
        body = feed(page, self.base)
        self.send_response(200)
        self.send_header("Content-Type", "application/atom+xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with contextlib.suppress(BrokenPipeError):  # the collector was killed mid-request
            self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def run(config: Path) -> subprocess.Popen[bytes]:
    env = dict(os.environ, PYTHONPATH=str(REPO),
               CIVIC_LISTENER_PSEUDONYM_KEY="bench-kill-resume-key-0123456789")
    return subprocess.Popen([sys.executable, "-m", "listener", "-c", str(config), "collect"],
                            cwd=REPO, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)


def counts(db: Path) -> tuple[int, int, int]:
    """Posts, raw payloads, and posts the last run saw again (duplicates)."""
    if not db.exists():
        return 0, 0, 0
    with sqlite3.connect(db) as conn:
        try:
            total = conn.execute("SELECT COUNT(*) FROM posts").fetchone()[0]
            raw = conn.execute("SELECT COUNT(*) FROM raw_payloads").fetchone()[0]
            last = conn.execute("SELECT duplicates FROM runs ORDER BY id DESC LIMIT 1")
            again = (last.fetchone() or (0,))[0]
        except sqlite3.OperationalError:  # killed before the schema was written
            return 0, 0, 0
    return int(total), int(raw), int(again)


def main() -> None:
    trials = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    rng = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 20261125)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    Handler.base = f"http://127.0.0.1:{server.server_address[1]}/feed.atom"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    expected = PAGES * PER_PAGE
    exact = mid = refetched = 0
    with tempfile.TemporaryDirectory() as tmp:
        for trial in range(trials):
            folder = Path(tmp) / f"t{trial}"
            folder.mkdir()
            config = folder / "config.yaml"
            config.write_text(
                "storage: {path: listener.db}\nsources:\n  feed:\n    type: rss\n"
                f"    enabled: true\n    feeds: ['{Handler.base}']\n    max_pages: 50\n",
                encoding="utf-8")
            delay = rng.uniform(1.5, 5.0)  # start-up takes ~1.5-2.5 s, collecting ~2.5 s
            proc = run(config)
            time.sleep(delay)
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            left = counts(folder / "listener.db")[0]
            resumed = run(config)
            code = resumed.wait()
            total, raw, again = counts(folder / "listener.db")
            ok = code == 0 and total == raw == expected
            exact += ok
            if 0 < left < expected:
                mid += 1
                refetched += again
            print(f"trial {trial:2d}: killed after {delay:.2f} s with {left:3d}/{expected} "
                  f"stored; after resume {total} posts, {raw} raw payloads, {again} seen "
                  f"again; exit {code}: {'exact' if ok else 'WRONG'}")
    server.shutdown()
    print(f"{exact}/{trials} resumed databases exact; {mid} kills landed mid-collection "
          f"(0 < stored < {expected}); posts those resumed runs fetched again: {refetched}")


if __name__ == "__main__":
    main()

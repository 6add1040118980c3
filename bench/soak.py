"""Soak test of ``listener run``: the service against the sample source with
second-scale intervals for a while (default 10 minutes), while a reader
process queries the database continuously.

Every ``--edit-every`` seconds the config is edited (the rotating source's
seed changes), so the service reloads its config and stores a fresh
replay of posts: writes go on for the whole soak, not just the first run.

Prints: runs completed, posts stored, "database is locked" errors (reader
and service; must be 0), the service's peak RSS over the first and the last
minute (must not grow by more than 20%), and how the service stopped.

    .venv/bin/python bench/soak.py --minutes 10
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CONFIG = """\
storage:
  path: data/soak.db
  data_dir: data
sources:
  steady:
    type: sample
    seed: 1
    scale: {scale}
    page_size: 20
    interval_minutes: {interval}
  rotating:
    type: sample
    seed: {seed}
    scale: {scale}
    page_size: 20
    interval_minutes: {interval}
reports:
  out_dir: out
service:
  reload_check_seconds: 1
  heartbeat_seconds: 2
  stop_timeout_seconds: 60
"""


def reader(db: Path, stop_file: Path, out: Path) -> None:
    """Query the database read-only in a loop, as reports and the query UI
    do; count every error, "database is locked" apart."""
    from datetime import UTC, datetime, timedelta

    from storage import Store
    from storage.driver import sqlite3
    from storage.timefmt import iso

    while not db.exists():
        time.sleep(0.1)
    counts = {"queries": 0, "locked": 0, "other_errors": 0}
    store = None
    while not stop_file.exists():
        try:
            if store is None:
                store = Store.open(db, readonly=True)
            now = datetime.now(UTC)
            span = (iso(now - timedelta(days=120)), iso(now))
            store.count_posts()
            store.runs.recent(limit=20)
            store.service.jobs()
            store.service.get("config")
            store.reports.runs_between(span)
            store.reports.latest_post_before(span[1])
            next(store.labels.posts_to_label("topic", batch_size=500, relabel=True), None)
            counts["queries"] += 7
        except sqlite3.OperationalError as exc:
            key = "locked" if "database is locked" in str(exc) else "other_errors"
            counts[key] += 1
            if key == "other_errors":
                print(f"reader: {exc}", file=sys.stderr)
            store = None  # e.g. a table not created yet: reopen
        except Exception as exc:  # a broken query must show in the figures, not end the soak
            counts["other_errors"] += 1
            if counts["other_errors"] <= 5:
                print(f"reader: {type(exc).__name__}: {exc}", file=sys.stderr)
        time.sleep(0.02)
    out.write_text(json.dumps(counts))


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--interval-seconds", type=float, default=2.0)
    parser.add_argument("--edit-every", type=float, default=30.0, help="seconds between edits")
    parser.add_argument("--scale", type=float, default=0.05, help="sample scale per replay")
    parser.add_argument("--dir", type=Path, default=None, help="work folder (default: temp)")
    parser.add_argument("--reader", nargs=3, metavar=("DB", "STOP", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.reader:
        reader(*(Path(p) for p in args.reader))
        return 0

    work = args.dir or Path(tempfile.mkdtemp(prefix="civic-soak-"))
    work.mkdir(parents=True, exist_ok=True)
    config, db = work / "config.yaml", work / "data" / "soak.db"
    stop_file, reader_out, log_path = work / "stop", work / "reader.json", work / "service.log"
    seed = 100

    def write_config() -> None:
        config.write_text(CONFIG.format(scale=args.scale, seed=seed,
                                        interval=args.interval_seconds / 60))

    write_config()
    env = {**os.environ, "PYTHONPATH": str(ROOT),
           "CIVIC_LISTENER_PSEUDONYM_KEY": "soak-key-0123456789abcdef"}
    log = log_path.open("w")
    service = subprocess.Popen([sys.executable, "-m", "listener", "-c", str(config),
                                "--log-format", "json", "run"], cwd=ROOT, env=env, stderr=log)
    read = subprocess.Popen([sys.executable, __file__, "--reader", str(db), str(stop_file),
                             str(reader_out)], cwd=ROOT, env=env)
    print(f"soak: {args.minutes:g} min in {work}; service pid {service.pid}, "
          f"reader pid {read.pid}", flush=True)
    started = time.monotonic()
    end = started + args.minutes * 60
    next_edit = started + args.edit_every
    samples: list[tuple[float, int]] = []
    edits = 0
    while time.monotonic() < end:
        if service.poll() is not None:
            print(f"service exited early with {service.returncode}; see {log_path}")
            break
        samples.append((time.monotonic() - started, rss_kib(service.pid)))
        if time.monotonic() >= next_edit:
            seed += 1
            edits += 1
            write_config()
            next_edit += args.edit_every
        time.sleep(1.0)

    stop_at = time.monotonic()
    service.send_signal(signal.SIGTERM)
    code = service.wait(timeout=120)
    stop_seconds = time.monotonic() - stop_at
    stop_file.write_text("stop")
    read.wait(timeout=60)
    log.close()

    from storage import Store

    store = Store.open(db, readonly=True)
    runs = store.runs.recent(limit=1_000_000)
    completed = sum(1 for r in runs if r.status in ("ok", "failed"))
    failed = sum(1 for r in runs if r.status == "failed")
    posts = store.count_posts()
    reader_counts = json.loads(reader_out.read_text())
    service_locked = sum("database is locked" in line for line in log_path.open())
    window = 60.0
    first = [kib for t, kib in samples if t <= window]
    last = [kib for t, kib in samples if t >= samples[-1][0] - window] if samples else []
    start_peak, end_peak = max(first, default=0), max(last, default=0)
    growth = (end_peak / start_peak - 1) * 100 if start_peak else float("nan")
    print(f"duration: {samples[-1][0] / 60 if samples else 0:.1f} min, config edits: {edits}")
    print(f"runs completed: {completed} ({failed} failed)")
    print(f"posts stored: {posts}")
    print(f"reader queries: {reader_counts['queries']}, other reader errors: "
          f"{reader_counts['other_errors']}")
    print(f'"database is locked" errors: {reader_counts["locked"] + service_locked} '
          f"(reader {reader_counts['locked']}, service {service_locked})")
    print(f"peak RSS first minute: {start_peak / 1024:.1f} MiB, last minute: "
          f"{end_peak / 1024:.1f} MiB, growth {growth:+.1f}%")
    print(f"SIGTERM: exit code {code} after {stop_seconds:.1f} s")
    ok = (reader_counts["locked"] + service_locked == 0 and reader_counts["other_errors"] == 0
          and growth <= 20 and code == 0)
    print("soak: PASS" if ok else "soak: FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

"""Build the rollups of a database made before them, once: the migration
queues every stored post, ``Rollups.rebuild`` counts them week by week.
Prints the time, the posts rolled up and the peak RSS, then runs
``Rollups.check`` on the last week as a spot check.

    .venv/bin/python bench/rollups_build.py PATH [--zone Europe/London]
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from storage import Store


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("path", type=Path)
    parser.add_argument("--zone", default="Europe/London")
    args = parser.parse_args()
    t0, c0 = time.perf_counter(), time.process_time()
    store = Store.open(args.path)  # the migration: tables, trigger, every post queued
    store.db.execute("PRAGMA cache_size = -262144")
    t1, c1 = time.perf_counter(), time.process_time()
    print(f"migrated in {t1 - t0:.0f} s (CPU {c1 - c0:.0f} s); {store.rollups.queued():,} posts"
          f" queued; load {os.getloadavg()[0]:.1f}", flush=True)
    if store.rollups.use_zone(args.zone):
        posts = store.count_posts()
    else:
        posts = store.rollups.rebuild()
    t2, c2 = time.perf_counter(), time.process_time()
    print(f"rolled up {posts:,} posts in {t2 - t1:.0f} s (CPU {c2 - c1:.0f} s);"
          f" {store.rollups.queued():,} left queued; load {os.getloadavg()[0]:.1f}", flush=True)
    store.checkpoint()
    last = store.db.execute("SELECT max(day) FROM rollup_posts").fetchone()[0]
    if last:
        since = date.fromisoformat(str(last)) - timedelta(days=6)
        drift = store.rollups.check(since)
        print(f"check of the last week from {since}: {len(drift)} difference(s) in"
              f" {time.perf_counter() - t2:.0f} s", flush=True)
    sizes = store.db.execute(
        "SELECT name, sum(pgsize) FROM dbstat WHERE name LIKE 'rollup%' GROUP BY name"
        " ORDER BY 2 DESC").fetchall()  # bench only
    print("rollup tables:", ", ".join(f"{n} {b / 2**20:.0f} MiB" for n, b in sizes))
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    store.close()


if __name__ == "__main__":
    main()

"""Build the rollups of a database made before them, once: the migration
queues every stored post, ``Rollups.rebuild`` counts them week by week.
Prints the time, the posts rolled up, the peak RSS and the rollups' size;
``--check-since DAY`` recounts from that week on as a spot check.

    .venv/bin/python bench/rollups_build.py PATH [--zone Europe/London]
        [--check-since 2026-11-16]
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.sqltime import object_sizes
from storage import Store


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("path", type=Path)
    parser.add_argument("--zone", default="Europe/London")
    parser.add_argument("--check-since", type=date.fromisoformat,
                        help="recount from this day's week on afterwards (a spot check)")
    args = parser.parse_args()
    t0, c0 = time.perf_counter(), time.process_time()
    store = Store.open(args.path)  # the migration: tables, trigger, every post queued
    t1, c1 = time.perf_counter(), time.process_time()
    print(f"migrated in {t1 - t0:.0f} s (CPU {c1 - c0:.0f} s); {store.rollups.queued():,} posts"
          f" queued; load {os.getloadavg()[0]:.1f}", flush=True)
    rebuilt = store.rollups.use_zone(args.zone)  # a zone change rebuilds everything
    posts = store.count_posts() if rebuilt else store.rollups.rebuild()
    t2, c2 = time.perf_counter(), time.process_time()
    print(f"rolled up {posts:,} posts in {t2 - t1:.0f} s (CPU {c2 - c1:.0f} s);"
          f" {store.rollups.queued():,} left queued; load {os.getloadavg()[0]:.1f}", flush=True)
    store.checkpoint()
    if args.check_since:
        drift = store.rollups.check(args.check_since)
        print(f"check from the week of {args.check_since}: {len(drift)} difference(s) in"
              f" {time.perf_counter() - t2:.0f} s", flush=True)
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    store.close()
    sizes = [(n, b) for n, b in object_sizes(args.path, 200) if "rollup" in n]
    print(f"rollup tables and indexes: {sum(b for _, b in sizes) / 2**20:.0f} MiB;",
          ", ".join(f"{n} {b / 2**20:.0f} MiB" for n, b in sizes))


if __name__ == "__main__":
    main()

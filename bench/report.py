"""Benchmark: the weekly report (figures and HTML) for 2026-W47.

Uses a cached database of ``bench/corpus.py`` (built once if missing): by
default ``week-1m``, 1,000,000 posts in 2026-W47 after 11 weeks of 20,000;
``--db year-10m`` is a typical week (~192,000 posts) in a 10,000,000-post
year. Times computing the figures and rendering the HTML, several runs, and
prints the median and the peak RSS.

    .venv/bin/python bench/report.py [--db week-1m | --path FILE] [--runs 3]
        [--statements] [--fallback]

``--fallback``: one more run that says which window the report read (the
rollups or the posts), which reads a rollup window handed to the window over
the posts (its log lines), and the wall and CPU time spent building that
posts window and in each of its reads (timed from outside, around
``ReportWindow``'s methods).
"""

from __future__ import annotations

import argparse
import functools
import logging
import os
import resource
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import corpus
from bench.sqltime import instrument
from reports import ReportContext, ReportSettings, compute_figures
from reports.render_html import render_html
from storage import Store
from storage.report_window import ReportWindow

WEEK = "2026-W47"  # the last week of every corpus shape


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", dest="shape", default="week-1m", choices=sorted(corpus.SHAPES))
    parser.add_argument("--path", type=Path, help="a database file instead of --db")
    parser.add_argument("--dsn-env", help="a PostgreSQL database instead: the variable holding"
                        " its DSN (bench/pg_scale.py)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--statements", action="store_true",
                        help="one more run timing every statement, with its query plan")
    parser.add_argument("--fallback", action="store_true",
                        help="one more run saying what was read from the posts, and its cost")
    args = parser.parse_args()
    if args.dsn_env and (args.statements or args.fallback):
        parser.error("--statements and --fallback time SQLite's statements: not with --dsn-env")
    path = args.path or (corpus.cached(args.shape) if not args.dsn_env else Path())
    store = corpus.open_bench_store(path, args.dsn_env)
    print(f"posts stored: {store.count_posts():,}")
    settings = ReportSettings()
    labels = {s: s.replace("_", " ").capitalize() for s in corpus.SLUGS}
    times: list[tuple[float, float]] = []
    cpu: list[float] = []
    for _ in range(args.runs):
        t0, c0 = time.perf_counter(), time.process_time()
        fig = compute_figures(store, WEEK, settings=settings, topic_labels=labels,
                              context=ReportContext(organisation="Bench Council"),
                              now=datetime(2026, 11, 25, tzinfo=UTC))
        t1 = time.perf_counter()
        html = render_html(fig)
        t2, c2 = time.perf_counter(), time.process_time()
        times.append((t1 - t0, t2 - t1))
        cpu.append(c2 - c0)
        print(f"run: figures {t1 - t0:.2f} s, html {t2 - t1:.3f} s ({len(html):,} chars),"
              f" CPU {c2 - c0:.2f} s, load average {os.getloadavg()[0]:.1f};"
              f" week posts {fig.this.posts:,}; emerging {[e.slug for e in fig.emerging]}",
              flush=True)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"median figures {statistics.median(t[0] for t in times):.2f} s, "
          f"median html {statistics.median(t[1] for t in times):.3f} s, "
          f"median total {statistics.median(sum(t) for t in times):.2f} s "
          f"(CPU {statistics.median(cpu):.2f} s), "
          f"peak RSS {rss:.0f} MiB")
    if args.statements:
        store, timed = instrument(path, plans=True)
        t0 = time.perf_counter()
        compute_figures(store, WEEK, settings=settings, topic_labels=labels,
                        context=ReportContext(organisation="Bench Council"),
                        now=datetime(2026, 11, 25, tzinfo=UTC))
        print(f"instrumented run: figures {time.perf_counter() - t0:.2f} s")
        timed.print_top(15)
    if args.fallback:
        fallback_run(path, settings, labels)


def fallback_run(path: Path, settings: ReportSettings, labels: dict[str, str]) -> None:
    """A report run with ``ReportWindow``'s constructor and public reads timed
    (wall, CPU) and the window's log lines printed."""
    spent: dict[str, list[float]] = {}
    outer = [0.0, 0.0]  # wall, CPU of the outermost calls only (a read may call another)
    depth = [0]

    def timed(name: str, fn: Any) -> Any:
        @functools.wraps(fn)
        def run(*a: Any, **k: Any) -> Any:
            t0, c0 = time.perf_counter(), time.process_time()
            depth[0] += 1
            try:
                return fn(*a, **k)
            finally:
                depth[0] -= 1
                w, c = time.perf_counter() - t0, time.process_time() - c0
                acc = spent.setdefault(name, [0, 0.0, 0.0])
                acc[0] += 1
                acc[1] += w
                acc[2] += c
                if depth[0] == 0:
                    outer[0] += w
                    outer[1] += c
        return run

    names = [n for n, v in vars(ReportWindow).items() if callable(v)
             and (n == "__init__" or not n.startswith("_"))]
    saved = {n: vars(ReportWindow)[n] for n in names}
    for n in names:
        setattr(ReportWindow, n, timed(n, saved[n]))
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(logging.Formatter("  log %(name)s: %(message)s"))
    for name in ("storage.windows", "storage.rollup_window"):
        logger = logging.getLogger(name)
        logger.setLevel(logging.DEBUG)
        logger.addHandler(handler)
    try:
        store = Store.open(path, readonly=True)
        t0, c0 = time.perf_counter(), time.process_time()
        compute_figures(store, WEEK, settings=settings, topic_labels=labels,
                        context=ReportContext(organisation="Bench Council"),
                        now=datetime(2026, 11, 25, tzinfo=UTC))
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    finally:
        for n, v in saved.items():
            setattr(ReportWindow, n, v)
    print(f"fallback run: figures {wall:.2f} s (CPU {cpu:.2f} s)")
    if not spent:
        print("  no window over the posts was built")
    for name, (calls, w, c) in sorted(spent.items(), key=lambda kv: -kv[1][1]):
        print(f"  ReportWindow.{name}: {int(calls)} calls, {w:.3f} s (CPU {c:.3f} s)")
    if spent:
        print(f"  in the window over the posts: {outer[0]:.2f} s of {wall:.2f} s"
              f" (CPU {outer[1]:.2f} s of {cpu:.2f} s)")


if __name__ == "__main__":
    main()

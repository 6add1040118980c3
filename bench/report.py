"""Benchmark: the weekly report (figures and HTML) for 2026-W47.

Uses a cached database of ``bench/corpus.py`` (built once if missing): by
default ``week-1m``, 1,000,000 posts in 2026-W47 after 11 weeks of 20,000;
``--db year-10m`` is a typical week (~192,000 posts) in a 10,000,000-post
year. Times computing the figures and rendering the HTML, several runs, and
prints the median and the peak RSS.

    .venv/bin/python bench/report.py [--db week-1m | --path FILE] [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import corpus
from bench.sqltime import instrument
from reports import ReportContext, ReportSettings, compute_figures
from reports.render_html import render_html
from storage import Store

WEEK = "2026-W47"  # the last week of every corpus shape


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", dest="shape", default="week-1m", choices=sorted(corpus.SHAPES))
    parser.add_argument("--path", type=Path, help="a database file instead of --db")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--statements", action="store_true",
                        help="one more run timing every statement, with its query plan")
    args = parser.parse_args()
    path = args.path or corpus.cached(args.shape)
    Store.open(path).close()  # a cached database is brought to the current schema
    store = Store.open(path, readonly=True)
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


if __name__ == "__main__":
    main()

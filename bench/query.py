"""Latency of the policy-staff queries, warm, on a cached bench database.

Uses a database of ``bench/corpus.py`` (built once if missing; default
``year-1m``: 1,000,000 posts over 52 weeks; ``--db year-10m`` for ten
million), then times topic+week filters, full-text searches and a 12-week
trend, several runs each after one warm-up call, and prints median and p95
in milliseconds and the peak RSS. Targets: p95 < 200 ms for filters,
< 500 ms for full-text.

    .venv/bin/python bench/query.py [--db year-1m | --path FILE] [--runs 40]
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import corpus
from listener.query.filters import QueryFilters
from listener.query.search import simple_match
from listener.query.service import QueryContext
from listener.query.weeks import weeks_ending
from listener.web.page import compute
from storage import queries as q

ZONE = "Europe/London"
TOPIC_WORDS, FILLER = corpus.TOPIC_WORDS, corpus.FILLER


def timed(runs: int, make: Callable[[int], Callable[[], object]]) -> tuple[float, float]:
    samples = []
    for i in range(runs):
        call = make(i)
        q.Planner.forget()  # measure the planning counts too, as on a first request
        t0 = time.perf_counter()
        call()
        samples.append((time.perf_counter() - t0) * 1000)
    samples.sort()
    p95 = samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]
    return statistics.median(samples), p95


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", dest="shape", default="year-1m", choices=sorted(corpus.SHAPES))
    parser.add_argument("--path", type=Path, help="a database file instead of --db")
    parser.add_argument("--dsn-env", help="a PostgreSQL database instead: the variable holding"
                        " its DSN (bench/pg_scale.py)")
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args()
    path = args.path or (corpus.cached(args.shape) if not args.dsn_env else Path())
    store = corpus.open_bench_store(path, args.dsn_env)
    queries = store.queries
    total = store.count_posts()
    print(f"database: {'PostgreSQL ($' + args.dsn_env + ')' if args.dsn_env else path}"
          f" ({total:,} posts)")
    rnd = random.Random(7)
    slugs = list(TOPIC_WORDS)
    weeks = weeks_ending(2026, 47, 52, ZONE)
    words = [w for ws in TOPIC_WORDS.values() for w in ws]

    def week_filter(i: int) -> q.PostFilter:
        _, since, until = weeks[rnd.randrange(len(weeks))]
        return q.PostFilter(topics=(rnd.choice(slugs),), since=since, until=until)

    def fts_filter(i: int) -> q.PostFilter:
        return q.PostFilter(match=simple_match(rnd.choice(words)))

    ctx = QueryContext(ZONE, {slug: slug for slug in slugs}, frozenset(), 10_000, 500)

    def web_page(filters: QueryFilters) -> object:
        data = compute(store, ctx, filters, 0, 50, 12, 10)
        assert data.error is None, data.error
        return data

    def page(f: q.PostFilter) -> Callable[[], object]:
        def run() -> object:
            with queries.time_limit(10_000):
                return queries.find_posts(f, limit=50), queries.count_posts(f)
        return run

    cases: list[tuple[str, Callable[[int], Callable[[], object]]]] = [
        ("topic+week: first 50 rows", lambda i: lambda: queries.find_posts(
            week_filter(i), limit=50)),
        ("topic+week: count", lambda i: lambda: queries.count_posts(week_filter(i))),
        ("topic+week: rows+count (page)", lambda i: page(week_filter(i))),
        ("topic+week+negative: page", lambda i: page(q.PostFilter(
            topics=week_filter(i).topics, sentiments=("negative",),
            since=weeks[-1][1], until=weeks[-1][2]))),
        ("full-text 1 word: rows+count", lambda i: page(fts_filter(i))),
        ("full-text 2 words: rows+count", lambda i: page(q.PostFilter(
            match=simple_match(f"{rnd.choice(words)} {rnd.choice(FILLER)}")))),
        ("full-text+topic+week: page", lambda i: page(q.PostFilter(
            match=simple_match("pothole"), topics=("roads_potholes",),
            since=weeks[-1][1], until=weeks[-1][2]))),
        ("trend: topic, 12 weeks", lambda i: lambda: queries.weekly_counts(
            q.PostFilter(topics=(rnd.choice(slugs),)), weeks[-12:])),
        ("trend: full-text, 12 weeks", lambda i: lambda: queries.weekly_counts(
            fts_filter(i), weeks[-12:])),
        ("web page: topic+week (all parts)", lambda i: lambda: web_page(QueryFilters(
            topics=[rnd.choice(slugs)], week=weeks[rnd.randrange(len(weeks))][0]))),
        ("web page: full-text (all parts)", lambda i: lambda: web_page(QueryFilters(
            text=rnd.choice(words)))),
        ("web page: no filter (all parts)", lambda i: lambda: web_page(QueryFilters())),
    ]
    print(f"{args.runs} runs each; milliseconds")
    print(f"{'query':38} {'median':>8} {'p95':>8}")
    for name, make in cases:
        try:
            make(0)()  # warm the page cache once
            median, p95 = timed(args.runs, make)
        except (q.QueryTimeout, AssertionError) as exc:  # the page reports a timeout as error
            print(f"{name:38} {'> limit':>8} ({exc})")
            continue
        print(f"{name:38} {median:8.1f} {p95:8.1f}")
    print("targets: p95 < 200 ms (filters), < 500 ms (full-text)")
    print(f"load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()

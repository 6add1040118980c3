"""Benchmark: the weekly report for a week of 1,000,000 stored posts.

Builds (once, cached in bench/out/) a database with --week-posts posts in
2026-W47 and --background posts in each of the 11 weeks before, through
``store.bulk``; then times computing the figures and rendering
the HTML, several runs, and prints the median and the peak RSS.

    .venv/bin/python bench/report.py [--week-posts 1000000] [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reports import ReportContext, ReportSettings, compute_figures
from reports.render_html import render_html
from storage import SENTIMENTS, LabelRecord, Post, Store

SLUGS = (
    "waste_recycling", "roads_potholes", "housing_repairs", "council_tax", "adult_social_care",
    "schools_send", "buses_trains", "parking", "libraries", "planning", "gp_access",
    "hospital_waiting", "a_and_e", "antisocial_behaviour", "parks", "street_lighting",
)
TERMS = {s: (s.split("_")[0], s.split("_")[-1]) for s in SLUGS}
PLATFORMS = ("x", "reddit", "mastodon", "bluesky", "rss")
W47 = datetime(2026, 11, 16, tzinfo=UTC)


def items(rng: random.Random, start: datetime, n: int,
          spike: bool) -> Iterator[tuple[Post, list[LabelRecord]]]:
    for k in range(n):
        when = start + timedelta(seconds=rng.randrange(7 * 86400))
        slug = "waste_recycling" if spike and k % 5 == 0 else rng.choice(SLUGS)
        platform = rng.choice(PLATFORMS)
        given = platform != "rss"
        post = Post(platform=platform, native_id=f"{start:%Y%m%d}-{k}",
                    text=f"Post {k} about {slug.replace('_', ' ')} @someone",
                    created_at=when, url=f"https://example.org/{platform}/{k}",
                    author_key=f"a{rng.randrange(200_000)}",
                    replies=rng.randrange(5) if given else None,
                    reposts=rng.randrange(5) if given else None,
                    likes=rng.randrange(40) if given else None)
        labels = [] if k % 11 == 0 else [LabelRecord(
            0, "topic", slug, 1.0, "topics.keywords", "v1", None,
            (rng.choice(TERMS[slug]),))]
        labels.append(LabelRecord(0, "sentiment", rng.choice(SENTIMENTS), 0.5,
                                  "sentiment.vader", "v1"))
        yield post, labels


def build(path: Path, week_posts: int, background: int) -> None:
    store = Store.open(path)
    rng = random.Random(47)
    looked = {"topic": ("topics.keywords", "v1"), "sentiment": ("sentiment.vader", "v1")}
    t0 = time.perf_counter()
    for w in range(11, 0, -1):
        store.bulk.load(items(rng, W47 - timedelta(weeks=w), background, False),
                  looked_at=looked)
    store.bulk.load(items(rng, W47, week_posts, True), looked_at=looked)
    store.bulk.analyse()
    store.close()
    print(f"built {path} in {time.perf_counter() - t0:.0f} s", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--week-posts", type=int, default=1_000_000)
    parser.add_argument("--background", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    path = Path(__file__).parent / "out" / f"report-{args.week_posts}-{args.background}.db"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        build(path, args.week_posts, args.background)
    Store.open(path).close()  # a cached database is brought to the current schema
    store = Store.open(path, readonly=True)
    print(f"posts stored: {store.count_posts():,}")
    settings = ReportSettings()
    labels = {s: s.replace("_", " ").capitalize() for s in SLUGS}
    times: list[tuple[float, float]] = []
    cpu: list[float] = []
    for _ in range(args.runs):
        t0, c0 = time.perf_counter(), time.process_time()
        fig = compute_figures(store, "2026-W47", settings=settings, topic_labels=labels,
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


if __name__ == "__main__":
    main()

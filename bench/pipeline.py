"""Pipeline throughput: normalise+store, classify, report, measured apart.

Generates N posts (default 100,000) in the sample source's payload shapes,
all inside one ISO week so that the report stage reads a 100,000-post week,
then times each stage over several runs and prints medians, posts/s and the
peak RSS of the process.

    python bench/pipeline.py [--posts 100000] [--runs 3]

Targets (issue 2): store >= 5,000 posts/s; keyword+VADER classify
>= 2,000 posts/s; report for a 100,000-post week < 5 s.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import nlp
from listener import __version__, pipeline
from listener.config import load_settings
from listener.privacy.pseudonym import Pseudonymiser
from listener.reporting import write_weekly_report
from listener.sample import generate_pages
from storage import Store

REPO = Path(__file__).resolve().parent.parent
WEEK = "2026-W47"


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def store_stage(pages: list, db_path: Path) -> tuple[float, int]:
    store = Store.open(db_path)
    pseudonymiser = Pseudonymiser(b"bench-key-" * 4)
    run = store.runs.start("bench")
    start = time.perf_counter()
    stored = 0
    for page in pages:
        items, bad = pipeline.normalise_page(page, pseudonymiser)
        result = store.collect.save_page(source="bench", run_id=run, items=items, quarantined=bad,
                                         query=page.query, cursor=page.cursor, request=page.request,
                                         collector_version=__version__)
        stored += result.new
    elapsed = time.perf_counter() - start
    store.close()
    return elapsed, stored


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    settings = load_settings(REPO / "config.yaml", check_credentials=False)
    t0 = time.perf_counter()
    pages = list(generate_pages(args.posts, seed=1, weeks=1, end=date(2026, 11, 22)))
    n_items = sum(len(p.items) for p in pages)
    print(f"generated {n_items} items in {len(pages)} pages in "
          f"{time.perf_counter() - t0:.1f} s")

    store_times, classify_times, report_times = [], [], []
    classifiers = nlp.build_classifiers(settings.nlp, settings.topics, settings.data_dir)
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(args.runs):
            db_path = Path(tmp) / f"bench-{run}.db"
            elapsed, stored = store_stage(pages, db_path)
            store_times.append(elapsed)
            store = Store.open(db_path)
            start = time.perf_counter()
            pipeline.classify(settings, store, classifiers=classifiers)
            classify_times.append(time.perf_counter() - start)
            start = time.perf_counter()
            write_weekly_report(settings, store, WEEK, formats=["html"],
                                out_dir=Path(tmp) / "out")
            report_times.append(time.perf_counter() - start)
            print(f"run {run + 1}: stored {stored} posts in {elapsed:.2f} s; "
                  f"classify {classify_times[-1]:.2f} s; report {report_times[-1]:.2f} s")
            store.close()

    med_store = statistics.median(store_times)
    med_classify = statistics.median(classify_times)
    med_report = statistics.median(report_times)
    print()
    print(f"posts: {stored} (one ISO week, {WEEK}); runs: {args.runs}; medians:")
    print(f"  normalise+store : {stored / med_store:>9,.0f} posts/s  ({med_store:.2f} s)"
          "   target >= 5,000")
    print(f"  classify (kw+VADER): {stored / med_classify:>6,.0f} posts/s  "
          f"({med_classify:.2f} s)   target >= 2,000")
    print(f"  report (figures+HTML): {med_report:.2f} s for {stored} posts in the week"
          "   target < 5 s")
    print(f"  peak RSS: {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()

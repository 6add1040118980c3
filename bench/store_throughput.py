"""Store throughput against a bare insert, in the same process (issue 20).

Generates N sample posts in the platforms' payload shapes (as
``bench/pipeline.py``), then per run, in one process and on fresh files:

- **normalise+store**: ``normalise_page`` and ``save_page`` for every page
  (one transaction per page), timed apart;
- **bare insert_all**: sqlite-utils ``insert_all`` of the same post rows
  (``post_row`` plus the timestamps) into a table with FTS5 triggers and no
  other index, in one call; and the same one page per call (one transaction
  per page, as ``save_page``).

Pages hold 50 posts each (the sample's page), or with ``--page-size real``
what the live sources ask for (X, Reddit and Bluesky 100, Mastodon 40, a
feed 50: ``listener.sample.pages.REAL_PAGE_SIZES``).

Prints posts/s by wall clock and by CPU time (the CPU figure is steadier on
a loaded machine), the ratio of normalise+store to the bare insert, and the
peak RSS. With ``--profile FILE`` it also writes a cProfile of one
normalise+store pass and prints the top functions.

    .venv/bin/python bench/store_throughput.py [--posts 100000] [--runs 3]
        [--page-size 50|real] [--profile bench/out/save_page.prof]
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlite_utils import Database

from listener import __version__, pipeline
from listener.privacy.pseudonym import Pseudonymiser
from listener.sample import generate_pages
from listener.sample.pages import REAL_PAGE_SIZES
from listener.sources.base import Page
from storage import Store
from storage.collect import post_row
from storage.timefmt import utcnow

KEY = b"bench-key-" * 4


def store_pages(pages: list[Page], path: Path) -> tuple[int, float, float, float, float]:
    """normalise+store every page into a new database at ``path``: (posts
    stored, wall s, CPU s, of which normalising wall s and CPU s)."""
    store = Store.open(path)
    pseudonymiser = Pseudonymiser(KEY)
    run = store.runs.start("bench")
    stored, norm_wall, norm_cpu = 0, 0.0, 0.0
    t0, c0 = time.perf_counter(), time.process_time()
    for page in pages:
        n0, m0 = time.perf_counter(), time.process_time()
        items, bad = pipeline.normalise_page(page, pseudonymiser)
        norm_wall += time.perf_counter() - n0
        norm_cpu += time.process_time() - m0
        stored += store.collect.save_page(
            source="bench", run_id=run, items=items, quarantined=bad, query=page.query,
            cursor=page.cursor, request=page.request, collector_version=__version__).new
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    store.close()
    return stored, wall, cpu, norm_wall, norm_cpu


def post_rows(pages: list[Page]) -> list[list[dict[str, Any]]]:
    """The rows normalise+store writes to ``posts``, page by page, de-duplicated."""
    pseudonymiser = Pseudonymiser(KEY)
    now = utcnow()
    seen: set[tuple[str, str]] = set()
    out = []
    for page in pages:
        rows = []
        for item in pipeline.normalise_page(page, pseudonymiser)[0]:
            key = (item.post.platform, item.post.native_id)
            if key not in seen:
                seen.add(key)
                rows.append({**post_row(item.post), "collected_at": now, "updated_at": now})
        out.append(rows)
    return out


def bare_insert(rows: list[list[dict[str, Any]]], path: Path, *, per_page: bool
                ) -> tuple[float, float]:
    """sqlite-utils insert_all with FTS5 triggers (WAL, synchronous NORMAL as
    storage opens its file); one call, or one call per page."""
    db = Database(path)
    db.conn.execute("PRAGMA journal_mode = WAL")
    db.conn.execute("PRAGMA synchronous = NORMAL")
    table = db["posts"]
    table.create({**{k: type(v) if v is not None else str for k, v in rows[0][0].items()},
                  "id": int}, pk="id")
    table.enable_fts(["text", "title"], create_triggers=True,
                     tokenize="porter unicode61 remove_diacritics 2")
    t0, c0 = time.perf_counter(), time.process_time()
    if per_page:
        for page in rows:
            table.insert_all(page)
    else:
        table.insert_all(row for page in rows for row in page)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    db.conn.close()
    return wall, cpu


def median_of(values: list[float]) -> float:
    return statistics.median(values)


def profile(pages: list[Page], out: Path, call: Callable[[list[Page], Path], Any]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        prof = cProfile.Profile()
        prof.runcall(call, pages, Path(tmp) / "profiled.db")
    out.parent.mkdir(parents=True, exist_ok=True)
    prof.dump_stats(out)
    stats = pstats.Stats(str(out))
    stats.sort_stats("tottime").print_stats(25)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--page-size", default="50",
                        help="posts per page: a number, or 'real' (each platform's API page)")
    parser.add_argument("--profile", type=Path, help="write a cProfile of one store pass here")
    args = parser.parse_args()
    page_size = REAL_PAGE_SIZES if args.page_size == "real" else int(args.page_size)
    pages = list(generate_pages(args.posts, seed=1, weeks=1, end=date(2026, 11, 22),
                                page_size=page_size))
    rows = post_rows(pages)
    n = sum(len(r) for r in rows)
    print(f"{sum(len(p.items) for p in pages):,} items in {len(pages):,} pages;"
          f" {n:,} distinct posts; load average {os.getloadavg()[0]:.1f} on"
          f" {os.cpu_count()} cores")
    results: dict[str, list[tuple[float, float]]] = {
        "store": [], "normalise": [], "bare": [], "bare_page": []}
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(args.runs):
            stored, wall, cpu, nwall, ncpu = store_pages(pages, Path(tmp) / f"store{run}.db")
            assert stored == n, (stored, n)
            results["store"].append((wall, cpu))
            results["normalise"].append((nwall, ncpu))
            results["bare"].append(bare_insert(rows, Path(tmp) / f"bare{run}.db",
                                               per_page=False))
            results["bare_page"].append(bare_insert(rows, Path(tmp) / f"page{run}.db",
                                                    per_page=True))
            print(f"run {run + 1}: " + "; ".join(
                f"{k} {v[-1][0]:.2f} s (CPU {v[-1][1]:.2f} s)" for k, v in results.items())
                + f"; load {os.getloadavg()[0]:.1f}", flush=True)
    med = {k: (median_of([w for w, _ in v]), median_of([c for _, c in v]))
           for k, v in results.items()}
    print(f"\nmedians of {args.runs} runs, {n:,} posts (posts/s by wall clock | by CPU time):")
    names = {"store": "normalise+store (save_page per page)",
             "normalise": "  of which normalise_page",
             "bare": "bare insert_all, one call",
             "bare_page": "bare insert_all, one call per page"}
    for key, label in names.items():
        wall, cpu = med[key]
        print(f"  {label:40} {n / wall:>9,.0f} | {n / cpu:>9,.0f}")
    for key in ("bare", "bare_page"):
        print(f"  normalise+store / {names[key].strip()}: {med[key][0] / med['store'][0]:.1%}"
              f" (wall) | {med[key][1] / med['store'][1]:.1%} (CPU)")
    print(f"  peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    if args.profile:
        profile(pages, args.profile, lambda p, path: store_pages(p, path))


if __name__ == "__main__":
    main()

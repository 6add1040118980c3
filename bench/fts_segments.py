"""The full-text index's segments.

    .venv/bin/python bench/fts_segments.py PATH
        levels, segments and leaf pages of ``posts_fts`` in a database file,
        read from its structure record (``storage.fts.segments``);
    .venv/bin/python bench/fts_segments.py --simulate default|automerge2|dailymerge
        how many segments collection leaves between merges: an FTS5 table of
        the same shape in memory, 30,000 rows merged into one segment (as a
        purge's ``optimize`` leaves it), then 14 days of 270 pages of 100 rows
        each (about 27,000 posts a day: a year of 10M), one transaction a page,
        the segments counted ten times a day. ``automerge2``: FTS5's
        ``automerge`` at 2 instead of 4; ``dailymerge``: after each day a
        ``merge`` with ``usermerge`` 2 until it has nothing left to do.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from storage.driver import sqlite3
from storage.fts import Segment, segments


def show(path: Path) -> None:
    from storage import Store

    found: list[Segment] = segments(Store.open(path, readonly=True).db.conn)
    levels = sorted({s.level for s in found})
    print(f"{len(found)} segments on {len(levels)} levels;"
          f" {sum(s.leaves for s in found):,} leaf pages")
    for s in found:
        print(f"  level {s.level}: segment {s.id}, {s.leaves:,} leaf pages")


def simulate(policy: str, days: int = 14) -> None:
    rng = random.Random(1)
    words = [f"w{i}" for i in range(20_000)]
    conn = sqlite3.connect(":memory:", isolation_level=None)
    conn.execute("CREATE VIRTUAL TABLE posts_fts USING fts5 (text)")
    if policy == "automerge2":
        conn.execute("INSERT INTO posts_fts (posts_fts, rank) VALUES ('automerge', 2)")
    rowid = 0

    def page(n: int = 100) -> None:
        nonlocal rowid
        rows = [(rowid + k, " ".join(rng.choices(words, k=20))) for k in range(n)]
        conn.execute("BEGIN")
        conn.execute("INSERT INTO posts_fts (rowid, text) VALUES "
                     + ", ".join(["(?, ?)"] * n), [v for row in rows for v in row])
        conn.execute("COMMIT")
        rowid += n

    for _ in range(300):
        page()
    conn.execute("INSERT INTO posts_fts (posts_fts) VALUES ('optimize')")
    counts: list[int] = []
    written = merged = 0.0
    for _ in range(days):
        for k in range(270):
            c0 = time.process_time()
            page()
            written += time.process_time() - c0
            if k % 27 == 13:
                counts.append(len(segments(conn)))
        if policy == "dailymerge":
            c0 = time.process_time()
            conn.execute("INSERT INTO posts_fts (posts_fts, rank) VALUES ('usermerge', 2)")
            while True:
                before = conn.total_changes
                conn.execute("INSERT INTO posts_fts (posts_fts, rank) VALUES ('merge', 500)")
                if conn.total_changes - before < 2:
                    break
            merged += time.process_time() - c0
    print(f"{policy}: segments median {statistics.median(counts)}, min {min(counts)},"
          f" max {max(counts)} ({len(counts)} counts over {days} days); CPU s writing"
          f" {written:.1f}, merging {merged:.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", type=Path)
    parser.add_argument("--simulate", choices=("default", "automerge2", "dailymerge"))
    args = parser.parse_args()
    if args.simulate:
        simulate(args.simulate)
    elif args.path:
        show(args.path)
    else:
        parser.error("a database file, or --simulate")


if __name__ == "__main__":
    main()

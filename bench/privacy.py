"""Privacy operations at scale: minimisation, retention purge (dry run and
real), erasure of the busiest author, and a deletion-sync selection.

Stores N sample posts (default 50,000) over ten ISO weeks, then times each
operation on a fresh copy of the database, several runs, and prints medians.

    python bench/privacy.py [--posts 50000] [--runs 3]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from listener import __version__, pipeline
from listener.config import load_settings
from listener.privacy.minimise import minimise
from listener.privacy.pseudonym import Pseudonymiser
from listener.privacy.retention import purge
from listener.sample import generate_pages
from storage import Store

REPO = Path(__file__).resolve().parent.parent
END = date(2026, 11, 22)


def timed(fn):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    settings = load_settings(REPO / "config.yaml", check_credentials=False)
    pages = list(generate_pages(args.posts, seed=1, weeks=10, end=END))
    items = [(p.platform, i.payload) for p in pages for i in p.items]

    mins = [timed(lambda: [minimise(pl, pay) for pl, pay in items])[0] for _ in range(args.runs)]
    print(f"minimise: {len(items) / statistics.median(mins):,.0f} payloads/s "
          f"({len(items)} payloads, median of {args.runs})")

    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "base.db"
        store = Store.open(base)
        pseudonymiser = Pseudonymiser(b"bench-key-" * 4)
        run = store.runs.start("bench")
        x_posts: dict[str, set[str]] = {}  # author pseudonym -> their X posts
        for page in pages:
            ok, bad = pipeline.normalise_page(page, pseudonymiser)
            store.collect.save_page(source="bench", run_id=run, items=ok, quarantined=bad,
                                    query=page.query, cursor=page.cursor, request=page.request,
                                    collector_version=__version__)
            for item in ok:
                if item.post.platform == "x" and item.post.author_key is not None:
                    x_posts.setdefault(item.post.author_key, set()).add(item.post.native_id)
        pipeline.classify(settings, store)
        total = store.count_posts()
        store.checkpoint()
        busiest = max(x_posts, key=lambda k: len(x_posts[k]))
        their_posts = len(x_posts[busiest])
        store.close()
        size = base.stat().st_size / 1e6
        print(f"database: {total} posts, {size:.1f} MB")
        # cut-off in the middle of the ten weeks: about half the posts expire
        now = datetime(END.year, END.month, END.day, tzinfo=UTC) + timedelta(
            days=settings.privacy.retention_days - 35)
        results: dict[str, list[float]] = {"dry": [], "purge": [], "forget": [], "select": []}
        purged = removed = 0
        for n in range(args.runs):
            copy = Path(tmp) / f"run{n}.db"
            shutil.copy(base, copy)
            store = Store.open(copy)
            t, _ = timed(lambda s=store: purge(settings, s, now=now, dry_run=True))
            results["dry"].append(t)
            t, report = timed(lambda s=store: purge(settings, s, now=now))
            results["purge"].append(t)
            purged = report.counts["posts"]
            t, _ = timed(lambda s=store: s.deletion_checks.due(
                "x", collected_after="2000-01-01", checked_before="2100-01-01", limit=5000))
            results["select"].append(t)
            store.close()
            shutil.copy(base, copy)
            store = Store.open(copy)
            t, counts = timed(lambda s=store: s.erasure.forget_author("x", busiest))
            results["forget"].append(t)
            removed = counts["posts"]
            store.close()
        med = {k: statistics.median(v) for k, v in results.items()}
        print(f"purge --dry-run: {med['dry']:.2f} s; purge: {med['purge']:.2f} s for {purged} "
              f"of {total} posts (all tables, FTS optimize, checkpoint)")
        print(f"forget busiest x author ({their_posts} posts; {removed} removed with retweets;"
              " incl. FTS optimize): "
              f"{med['forget']:.2f} s")
        print(f"deletion-sync selection of 5000 due x posts: {med['select'] * 1000:.0f} ms")
        print(f"medians of {args.runs} runs")


if __name__ == "__main__":
    main()

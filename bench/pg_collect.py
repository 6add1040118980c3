"""Collection (``save_page``) on SQLite and on PostgreSQL, same pages (issue 21).

Generates N sample posts in the platforms' payload shapes, normalises them
once, then per run stores every page (one transaction each: posts, raw
payloads, matches, conversations, quarantine, cursor, run counters) into a
fresh SQLite file and into a fresh PostgreSQL database, and stores the same
pages a second time (every post a duplicate: the read-merge path). Prints
the median posts/s of the runs for each backend and pass.

The PostgreSQL server is the test one unless ``--dsn-env`` names another
variable: ``eval "$(scripts/pg-test-server.sh start)"`` first (it runs with
fsync off: these figures compare the code paths, not durable commits).

    .venv/bin/python bench/pg_collect.py [--posts 20000] [--runs 3] [--dsn-env CIVIC_TEST_PG_DSN]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import psycopg
from psycopg.conninfo import make_conninfo

from listener import __version__, pipeline
from listener.privacy.pseudonym import Pseudonymiser
from listener.sample import generate_pages
from listener.sources.base import Page
from storage import Quarantined, Store, StoredItem

KEY = b"bench-key-" * 4
Normalised = list[tuple[Page, list[StoredItem], list[Quarantined]]]


def store_all(store: Store, pages: Normalised) -> tuple[int, float]:
    """Every page through save_page: (posts new or duplicate, wall seconds)."""
    run = store.runs.start("bench")
    seen = 0
    t0 = time.perf_counter()
    for page, items, bad in pages:
        result = store.collect.save_page(
            source="bench", run_id=run, items=items, quarantined=bad, query=page.query,
            cursor=page.cursor, request=page.request, collector_version=__version__)
        seen += result.new + result.duplicates
    return seen, time.perf_counter() - t0


def one_run(store: Store, pages: Normalised) -> tuple[float, float, int]:
    try:
        n, first = store_all(store, pages)
        again, second = store_all(store, pages)
        assert again == n and store.count_posts() > 0
        return n / first, n / second, store.count_posts()
    finally:
        store.close()


def sample_setup(description: str) -> tuple[argparse.Namespace, str, Normalised]:
    """The PostgreSQL benches' options (--posts, --runs, --dsn-env), the
    server's DSN, and the sample's pages normalised once."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--posts", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--dsn-env", default="CIVIC_TEST_PG_DSN")
    args = parser.parse_args()
    server = os.environ.get(args.dsn_env)
    if not server:
        sys.exit(f"${args.dsn_env} is not set: eval \"$(scripts/pg-test-server.sh start)\"")
    pseudonymiser = Pseudonymiser(KEY)
    pages: Normalised = [(p, *pipeline.normalise_page(p, pseudonymiser)) for p in
                         generate_pages(args.posts, seed=1, weeks=1, end=date(2026, 11, 22))]
    return args, server, pages


def main() -> None:
    args, server, pages = sample_setup(__doc__.splitlines()[0])
    admin = psycopg.connect(server, autocommit=True)
    results: dict[str, list[tuple[float, float, int]]] = {"sqlite": [], "postgresql": []}
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as tmp:
            results["sqlite"].append(one_run(Store.open(f"{tmp}/b.db"), pages))
        name = f"bench_{uuid.uuid4().hex[:10]}"
        admin.execute(f'CREATE DATABASE "{name}"'.encode())
        try:
            dsn = make_conninfo(server, dbname=name)
            results["postgresql"].append(one_run(Store.open_postgresql(dsn), pages))
        finally:
            admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)'.encode())
    admin.close()
    print(f"{len(pages)} pages, {results['sqlite'][0][2]} posts stored; median of "
          f"{args.runs} runs, posts/s (wall)")
    print(f"{'backend':<12}{'first pass':>12}{'again (dups)':>14}")
    for backend, rows in results.items():
        print(f"{backend:<12}{statistics.median(r[0] for r in rows):>12,.0f}"
              f"{statistics.median(r[1] for r in rows):>14,.0f}")


if __name__ == "__main__":
    main()

"""``listener db copy`` speed (issue 21): a SQLite database of N sample posts
(stored through ``save_page``: posts, raw payloads, matches, conversations,
rollup queue, FTS) copied into a fresh PostgreSQL database and back into a
fresh SQLite file, per run. Prints the median rows/s (every table's rows,
wall clock) of the runs for each direction, and the peak Python memory
(tracemalloc) of a copy at two batch sizes: it follows the batch, not the
database.

The PostgreSQL server is the test one unless ``--dsn-env`` names another
variable: ``eval "$(scripts/pg-test-server.sh start)"`` first (fsync off).

    .venv/bin/python bench/pg_copy.py [--posts 20000] [--runs 3] [--dsn-env CIVIC_TEST_PG_DSN]
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
import tracemalloc
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import psycopg
from psycopg.conninfo import make_conninfo

from bench.pg_collect import sample_setup, store_all
from storage import Store
from storage.copying import TableCopy


@contextmanager
def fresh_pg(admin: psycopg.Connection[object], server: str) -> Iterator[str]:
    name = f"bench_{uuid.uuid4().hex[:10]}"
    admin.execute(f'CREATE DATABASE "{name}"'.encode())
    try:
        yield make_conninfo(server, dbname=name)
    finally:
        admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)'.encode())


def timed(copy: Callable[[], list[TableCopy]]) -> tuple[float, int]:
    t0 = time.perf_counter()
    counts = copy()
    return time.perf_counter() - t0, sum(c.target for c in counts)


def main() -> None:
    args, server, pages = sample_setup(__doc__.splitlines()[0])
    admin = psycopg.connect(server, autocommit=True)
    there: list[float] = []
    back: list[float] = []
    with tempfile.TemporaryDirectory() as tmp, Store.open(f"{tmp}/source.db") as source:
        store_all(source, pages)
        posts = source.count_posts()
        rows = 0
        for n in range(args.runs):
            with fresh_pg(admin, server) as dsn, Store.open_postgresql(dsn) as pg:
                seconds, rows = timed(lambda: source.copying.copy_to(pg.copying))
                there.append(rows / seconds)
                with Store.open(f"{tmp}/back{n}.db") as target:
                    seconds, _ = timed(lambda: pg.copying.copy_to(target.copying))
                    back.append(rows / seconds)
        peaks: dict[int, float] = {}
        for batch in (1_000, 10_000):
            with fresh_pg(admin, server) as dsn, Store.open_postgresql(dsn) as pg:
                tracemalloc.start()
                source.copying.copy_to(pg.copying, batch=batch)
                peaks[batch] = tracemalloc.get_traced_memory()[1] / 2**20
                tracemalloc.stop()
    admin.close()
    print(f"{posts} posts, {rows} rows in every table; median of {args.runs} runs, rows/s (wall)")
    print(f"SQLite -> PostgreSQL {statistics.median(there):>10,.0f}")
    print(f"PostgreSQL -> SQLite {statistics.median(back):>10,.0f}")
    print("peak Python memory of one copy (tracemalloc): " + ", ".join(
        f"batch {b:,}: {mib:.1f} MiB" for b, mib in peaks.items()))


if __name__ == "__main__":
    main()

"""The 1M-post report and query benches on PostgreSQL beside SQLite, on the
same data (issue 21).

Copies a cached ``bench/corpus.py`` database (default ``year-1m``: 1,000,000
posts over 52 weeks, labelled, with rollups) into a fresh PostgreSQL
database with ``listener db copy``'s own code (``store.copying``: every
table, ids kept, the full-text vectors rebuilt by the server), runs
``ANALYZE``, then runs ``bench/report.py`` and ``bench/query.py`` against
the SQLite file and against the PostgreSQL database, each in a process of
its own, one after the other, and prints what they print (medians, p95,
peak RSS). The copy's wall time and rows per second are printed too.

The server is the test one unless ``--dsn-env`` names another variable:

    scripts/pg-test-server.sh run .venv/bin/python bench/pg_scale.py \\
        [--db year-1m | --path FILE] [--runs 3] [--query-runs 20] [--keep]

The test server runs with fsync off (``scripts/pg-test-server.sh``): the
figures compare the two backends' query paths on one machine, not a tuned
production server. ``--keep`` leaves the PostgreSQL database (its name is
printed) for another run with ``--reuse NAME``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import psycopg
from psycopg.conninfo import make_conninfo

from bench import corpus
from storage import Store

BENCH = Path(__file__).resolve().parent
DSN_VAR = "CIVIC_BENCH_PG_DSN"  # what the child benches read (--dsn-env of report/query)


def copy_into(path: Path, dsn: str) -> None:
    """The SQLite file into the empty PostgreSQL database, as `listener db copy` does."""
    t0, c0 = time.perf_counter(), time.process_time()
    with Store.open(path) as lite, Store.open_postgresql(dsn) as pg:
        counts = lite.copying.copy_to(pg.copying, replace=False, batch=5000)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    rows = sum(c.target for c in counts)
    print(f"copied {len(counts)} tables, {rows:,} rows in {wall:.0f} s (CPU {cpu:.0f} s),"
          f" {rows / wall:,.0f} rows/s; counts equal on both sides", flush=True)


def run(script: str, args: list[str], env: dict[str, str]) -> None:
    print(f"\n$ python bench/{script} {' '.join(args)}", flush=True)
    subprocess.run([sys.executable, str(BENCH / script), *args], env=env, check=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", dest="shape", default="year-1m", choices=sorted(corpus.SHAPES))
    parser.add_argument("--path", type=Path, help="a database file instead of --db")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--query-runs", type=int, default=20)
    parser.add_argument("--dsn-env", default="CIVIC_TEST_PG_DSN")
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database")
    parser.add_argument("--reuse", help="a database --keep left: skip the copy")
    parser.add_argument("--skip", default="", help="comma-separated: report, query, sqlite")
    args = parser.parse_args()
    server = os.environ.get(args.dsn_env)
    if not server:
        sys.exit(f"${args.dsn_env} is not set: run under scripts/pg-test-server.sh run")
    skip = set(filter(None, args.skip.split(",")))
    source = args.path or corpus.cached(args.shape)
    with tempfile.TemporaryDirectory(dir=source.parent) as tmp:
        path = Path(tmp) / source.name  # a copy: the benches bring it to the current schema
        shutil.copyfile(source, path)
        admin = psycopg.connect(server, autocommit=True)
        name = args.reuse or f"bench_{uuid.uuid4().hex[:10]}"
        dsn = make_conninfo(server, dbname=name)
        try:
            if not args.reuse:
                admin.execute(f'CREATE DATABASE "{name}"'.encode())
                print(f"PostgreSQL database {name}; SQLite {source}", flush=True)
                copy_into(path, dsn)
                with psycopg.connect(dsn, autocommit=True) as conn:
                    t0 = time.perf_counter()
                    conn.execute(b"VACUUM ANALYZE")
                    print(f"VACUUM ANALYZE {time.perf_counter() - t0:.0f} s", flush=True)
            env = {**os.environ, DSN_VAR: dsn}
            for script, extra in (("report.py", ["--runs", str(args.runs)]),
                                  ("query.py", ["--runs", str(args.query_runs)])):
                if script.removesuffix(".py") in skip:
                    continue
                if "sqlite" not in skip:
                    run(script, ["--path", str(path), *extra], env)
                run(script, ["--dsn-env", DSN_VAR, *extra], env)
        finally:
            if args.keep:
                print(f"kept PostgreSQL database {name} (--reuse {name})")
            else:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'.encode())
            admin.close()


if __name__ == "__main__":
    main()

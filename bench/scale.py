"""Issue 20's measures on a cached corpus database, today's code, each run
in a fresh process (so each has its own peak RSS and starts from the same
state).

    .venv/bin/python bench/scale.py --db year-10m [--ops report,trends,...]
        [--runs 3] [--limit-min 30]

Ops (in this order; the destructive ones run on an online-backup copy):

- ``size``: file size, bytes per post, and the largest tables and indexes;
- ``report``: the weekly report for 2026-W47, figures and HTML;
- ``trends``: ``listener trends`` for one topic over 12 weeks;
- ``query``: ``bench/query.py`` on the file (warm: median and p95);
- ``plans``: per-statement timings and query plans of one report run
  (``bench/report.py --statements``), one trend and the page's queries;
- ``cold``: the first topic+week page and the first full-text page after the
  database's pages are evicted from the page cache (``posix_fadvise
  DONTNEED`` on the file, what ``vmtouch -e`` does; residency checked with
  util-linux ``fincore``);
- ``backup``: SQLite's online backup as the README runs it;
- ``forget``: ``listener forget`` of an X author with 5,000 posts (one of
  the corpus's heavy authors per run);
- ``classify``: ``listener classify`` of 100,000 new posts (added first,
  untimed);
- ``purge``: ``listener purge`` with a retention that drops the oldest month
  (successive runs drop successive months).

``BENCH_STATEMENTS=N`` prints the N slowest statements (calls, wall and CPU
seconds, query plan) of each forget and purge run (timing adds a little).

Each run prints wall and CPU seconds, peak RSS and the load average; the
parent prints medians and appends every run to ``$BENCH_OUT/scale-runs.jsonl``.
A run past ``--limit-min`` is stopped and reported as "> limit".
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import corpus

ZONE = "Europe/London"
WEEK = (2026, 47)
OPS = ("size", "report", "trends", "query", "cold", "plans", "backup", "forget", "classify",
       "purge")
CLASSIFY_POSTS = 100_000
PURGE_MONTH_DAYS = 30


# -- what runs in the child process --------------------------------------------

def _settings(tmp: Path, *, check_words: bool = False) -> Any:
    """config.yaml, with report files in an empty folder of their own; loaded
    as the CLI command loads it (``check_words`` for the commands that classify)."""
    from listener.config import load_settings

    settings = load_settings(corpus.ROOT / "config.yaml", check_credentials=False,
                             check_words=check_words)
    reports = settings.reports.model_copy(update={"out_dir": str(tmp / "reports")})
    return settings.model_copy(update={"reports": reports})


def op_report(path: Path, arg: str) -> dict[str, Any]:
    from reports import ReportContext, ReportSettings, compute_figures
    from reports.render_html import render_html
    from storage import Store

    store = Store.open(path, readonly=True)
    t0 = time.perf_counter()
    fig = compute_figures(store, f"{WEEK[0]}-W{WEEK[1]}", settings=ReportSettings(),
                          topic_labels={s: s for s in corpus.SLUGS},
                          context=ReportContext(organisation="Bench"),
                          now=corpus.END + timedelta(days=2))
    t1 = time.perf_counter()
    render_html(fig)
    return {"figures_s": round(t1 - t0, 3), "html_s": round(time.perf_counter() - t1, 3),
            "week_posts": fig.this.posts, "emerging": len(fig.emerging)}


def _query_context() -> Any:
    from listener.query.service import QueryContext

    return QueryContext(ZONE, {s: s for s in corpus.SLUGS}, frozenset(),
                        time_limit_ms=3_600_000)


def op_trends(path: Path, arg: str) -> dict[str, Any]:
    from listener.query.filters import QueryFilters
    from listener.query.trends import trend
    from listener.query.weeks import weeks_ending
    from storage import Store

    rows = trend(Store.open(path, readonly=True), _query_context(), QueryFilters(topics=[arg]),
                 weeks_ending(*WEEK, 12, ZONE))
    return {"topic": arg, "posts": sum(r.total for r in rows)}


def op_cold(path: Path, arg: str) -> dict[str, Any]:
    """The first query in a fresh process on an evicted file (evicted by the
    parent): ``topic-week`` rows+count, or ``full-text`` rows+count."""
    from listener.query.search import simple_match
    from listener.query.weeks import weeks_ending
    from storage import Store
    from storage import queries as q

    queries = Store.open(path, readonly=True).queries
    kind, _, value = arg.partition(":")
    if kind == "topic-week":
        _, since, until = weeks_ending(*WEEK, 1, ZONE)[0]
        f = q.PostFilter(topics=(value,), since=since, until=until)
    else:
        f = q.PostFilter(match=simple_match(value))
    with queries.time_limit(3_600_000):
        rows = queries.find_posts(f, limit=50)
        total = queries.count_posts(f)
    return {"query": arg, "rows": len(rows), "total": total}


def op_plans(path: Path, arg: str) -> dict[str, Any]:
    """Per-statement timings and plans of a trend and the page's two queries."""
    from bench.sqltime import instrument
    from listener.query.filters import QueryFilters
    from listener.query.search import simple_match
    from listener.query.trends import trend
    from listener.query.weeks import weeks_ending
    from storage import queries as q

    store, timed = instrument(path, plans=True)
    _, since, until = weeks_ending(*WEEK, 1, ZONE)[0]
    trend(store, _query_context(), QueryFilters(topics=[corpus.SLUGS[0]]),
          weeks_ending(*WEEK, 12, ZONE))
    for f in (q.PostFilter(topics=(corpus.SLUGS[1],), since=since, until=until),
              q.PostFilter(match=simple_match("pothole"))):
        store.queries.find_posts(f, limit=50)
        store.queries.count_posts(f)
    timed.print_top(12, width=400)
    return {"statements": len(timed.stats)}


def op_backup(path: Path, arg: str) -> dict[str, Any]:
    """The README's Python online backup (``bench.sqltime.online_backup``)."""
    from bench.sqltime import online_backup

    online_backup(path, Path(arg))
    return {"bytes": Path(arg).stat().st_size}


def op_forget(path: Path, arg: str) -> dict[str, Any]:
    from listener.privacy.forget import forget_author
    from storage import Store

    with tempfile.TemporaryDirectory() as tmp:
        settings = _settings(Path(tmp))
        os.environ[settings.privacy.key_env] = corpus.BENCH_KEY.decode()
        store = _timed(Store.open(path))
        report = forget_author(settings, store, "x", arg)
        store.close()
    return {"handle": arg, "counts": report.counts}


def op_classify(path: Path, arg: str) -> dict[str, Any]:
    import nlp
    from listener import pipeline
    from storage import Store

    with tempfile.TemporaryDirectory() as tmp:
        settings = _settings(Path(tmp), check_words=True)
        t0 = time.perf_counter()
        classifiers = nlp.build_classifiers(settings.nlp, settings.topics, settings.data_dir)
        t1 = time.perf_counter()
        store = Store.open(path)
        counts = pipeline.classify(settings, store, classifiers=classifiers)
        t2 = time.perf_counter()
        store.close()
    n = max(counts.values(), default=0)
    return {"build_s": round(t1 - t0, 2), "classify_s": round(t2 - t1, 2), "counts": counts,
            "posts_per_s": round(n / (t2 - t1)) if n else 0}


def op_purge(path: Path, arg: str) -> dict[str, Any]:
    """Retention that drops posts created before ``arg`` days after the first week."""
    from listener.privacy.retention import purge
    from storage import Store

    keep_days = int(arg)
    with tempfile.TemporaryDirectory() as tmp:
        settings = _settings(Path(tmp))
        privacy = settings.privacy.model_copy(update={"retention_days": keep_days})
        settings = settings.model_copy(update={"privacy": privacy})
        store = _timed(Store.open(path))
        report = purge(settings, store, now=corpus.END)
        store.close()
    return {"retention_days": keep_days, "posts_before": report.posts_before,
            "counts": report.counts}


def _timed(store: Any) -> Any:
    """With ``$BENCH_STATEMENTS`` set, time every statement of ``store``'s
    connection (``bench.sqltime.Timed``, with query plans) and print the
    slowest at exit: the per-phase breakdown of forget and purge."""
    if not os.environ.get("BENCH_STATEMENTS"):
        return store
    import atexit

    from bench.sqltime import time_store

    timed = time_store(store, plans=True)
    atexit.register(timed.print_top, int(os.environ["BENCH_STATEMENTS"]), width=300)
    return store


def op_size(path: Path, arg: str) -> dict[str, Any]:
    from bench.sqltime import object_sizes
    from storage import Store

    posts = Store.open(path, readonly=True).count_posts()
    pages = object_sizes(path)
    size = path.stat().st_size
    return {"posts": posts, "bytes": size, "bytes_per_post": round(size / posts),
            "gib_per_million": round(size / posts * 1e6 / 2**30, 3),
            "objects": [(str(n), int(b)) for n, b in pages[:16]]}


def peak_rss_mib() -> int:
    """This process's peak RSS since its exec (VmHWM). ``ru_maxrss`` is not
    used: Linux carries the parent's peak into a child across fork and exec."""
    with contextlib.suppress(OSError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024)
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def op_append(path: Path, arg: str) -> dict[str, Any]:
    """Set-up for ``classify`` (untimed there): add 100,000 unlabelled posts."""
    from storage import Store

    k = int(arg)
    store = Store.open(path)
    added = corpus.append_unlabelled(store, CLASSIFY_POSTS, seed=1000 + k,
                                     first=10**11 + k * 10**7)
    store.close()
    return {"added": added}


CHILD: dict[str, Callable[[Path, str], dict[str, Any]]] = {
    "report": op_report, "trends": op_trends, "cold": op_cold, "plans": op_plans,
    "backup": op_backup,
    "forget": op_forget, "classify": op_classify, "purge": op_purge, "size": op_size,
    "append": op_append,
}


def child(op: str, path: Path, arg: str) -> None:
    t0, c0 = time.perf_counter(), time.process_time()
    detail = CHILD[op](path, arg)
    out = {"seconds": round(time.perf_counter() - t0, 3),
           "cpu": round(time.process_time() - c0, 3),
           "rss_mib": peak_rss_mib(), "detail": detail}
    print("RESULT " + json.dumps(out), flush=True)


# -- the parent ----------------------------------------------------------------

def resident(path: Path) -> int:
    """Bytes of ``path`` in the page cache (util-linux fincore)."""
    out = subprocess.run(["fincore", "--bytes", "--noheadings", "--output", "RES", str(path)],
                         capture_output=True, text=True, check=False).stdout.strip()
    return int(out) if out.isdigit() else -1


def evict(path: Path) -> tuple[int, int]:
    """Drop the database's pages from the page cache (as ``vmtouch -e``);
    returns resident bytes before and after."""
    before = resident(path)
    for name in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        if name.exists():
            fd = os.open(name, os.O_RDONLY)
            try:
                os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
            finally:
                os.close(fd)
    return before, resident(path)


class Runner:
    def __init__(self, shape: str, path: Path, limit_s: float, log: Path) -> None:
        self.shape, self.path, self.limit_s, self.log = shape, path, limit_s, log
        self.commit = subprocess.run(["git", "-C", str(corpus.ROOT), "rev-parse", "--short",
                                      "HEAD"], capture_output=True, text=True).stdout.strip()

    def run(self, op: str, arg: str = "", path: Path | None = None,
            note: str = "") -> dict[str, Any]:
        target = path or self.path
        load0 = os.getloadavg()[0]
        cmd = [sys.executable, __file__, "--child", op, "--path", str(target), "--arg", arg]
        record: dict[str, Any] = {"db": self.shape, "op": op, "arg": arg, "note": note,
                                  "commit": self.commit, "load_before": round(load0, 2),
                                  "at": time.strftime("%Y-%m-%dT%H:%M:%S")}
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=self.limit_s,
                                  check=False)
            lines = [ln for ln in done.stdout.splitlines() if ln.startswith("RESULT ")]
            if os.environ.get("BENCH_STATEMENTS"):
                print("\n".join(ln for ln in done.stdout.splitlines()
                                if not ln.startswith("RESULT ")), flush=True)
            if done.returncode != 0 or not lines:
                record["error"] = (done.stderr or done.stdout)[-2000:]
            else:
                record.update(json.loads(lines[-1][len("RESULT "):]))
        except subprocess.TimeoutExpired:
            record["over_limit"] = self.limit_s
        record["load_after"] = round(os.getloadavg()[0], 2)
        with self.log.open("a") as fh:
            fh.write(json.dumps(record) + "\n")
        print("  " + describe_run(record), flush=True)
        return record


def describe_run(r: dict[str, Any]) -> str:
    head = f"{r['op']:8} {r['arg'][:28]:28}"
    if "over_limit" in r:
        return f"{head} > limit ({r['over_limit'] / 60:.0f} min)"
    if "error" in r:
        return f"{head} FAILED: {r['error'].strip().splitlines()[-1] if r['error'] else ''}"
    return (f"{head} {r['seconds']:9.2f} s  CPU {r['cpu']:8.2f} s  RSS {r['rss_mib']:5} MiB"
            f"  load {r['load_before']:.1f}->{r['load_after']:.1f}  {json.dumps(r['detail'])}")


def summary(name: str, runs: list[dict[str, Any]]) -> None:
    ok = [r for r in runs if "seconds" in r]
    over = [r for r in runs if "over_limit" in r]
    if not ok:
        print(f"== {name}: no completed run ({len(over)} over the limit)")
        return
    med = statistics.median(r["seconds"] for r in ok)
    cpu = statistics.median(r["cpu"] for r in ok)
    rss = max(r["rss_mib"] for r in ok)
    loads = [r["load_before"] for r in ok]
    print(f"== {name}: median {med:.2f} s (CPU {cpu:.2f} s) of {len(ok)} runs"
          + (f", {len(over)} over the limit" if over else "")
          + "; runs " + ", ".join(f"{r['seconds']:.2f}" for r in ok) + ";"
          f" peak RSS {rss} MiB; load {min(loads):.1f}-{max(loads):.1f}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", dest="shape", default="year-1m", choices=sorted(corpus.SHAPES))
    parser.add_argument("--path", type=Path, help="a database file instead of --db")
    parser.add_argument("--ops", default=",".join(OPS))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--query-runs", type=int, default=20)
    parser.add_argument("--limit-min", type=float, default=30)
    parser.add_argument("--keep-copy", action="store_true", help="keep the work copy")
    parser.add_argument("--in-place", action="store_true",
                        help="--path is already a copy: run the destructive ops on it (at 10M"
                             " the disk has no room for a second copy)")
    parser.add_argument("--first", type=int, default=0,
                        help="skip this many heavy authors and months (runs on a copy that"
                             " earlier runs changed)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--arg", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.path, args.arg)
        return
    ops = [op for op in OPS if op in args.ops.split(",")]
    unknown = set(args.ops.split(",")) - set(OPS)
    if unknown:
        parser.error(f"unknown ops: {', '.join(sorted(unknown))}")
    path = args.path or corpus.cached(args.shape)
    from storage import Store

    Store.open(path).close()  # bring a cached database to the current schema
    out = corpus.bench_out()
    runner = Runner(args.shape if not args.path else str(args.path), path, args.limit_min * 60,
                    out / "scale-runs.jsonl")
    print(f"database {path}: {path.stat().st_size / 2**30:.2f} GiB;"
          f" {os.cpu_count()} cores; load {os.getloadavg()}; commit {runner.commit}")
    work = path if args.in_place and args.path else out / f"{path.stem}-work.db"
    for op in ops:
        print(f"-- {op}", flush=True)
        if op == "size":
            summary("size", [runner.run("size")])
        elif op == "report":
            summary("report", [runner.run("report") for _ in range(args.runs)])
        elif op == "trends":
            summary("trends", [runner.run("trends", corpus.SLUGS[k % len(corpus.SLUGS)])
                               for k in range(args.runs)])
        elif op == "query":
            subprocess.run([sys.executable, str(corpus.ROOT / "bench" / "query.py"), "--path",
                            str(path), "--runs", str(args.query_runs)], check=False)
        elif op == "plans":
            subprocess.run([sys.executable, str(corpus.ROOT / "bench" / "report.py"), "--path",
                            str(path), "--runs", "1", "--statements"], check=False)
            done = subprocess.run([sys.executable, __file__, "--child", "plans", "--path",
                                   str(path)], capture_output=True, text=True, check=False)
            print(done.stdout + done.stderr[-2000:], flush=True)
        elif op == "cold":
            for kind in (f"topic-week:{corpus.SLUGS[1]}", "full-text:pothole"):
                runs = []
                for _ in range(args.runs):
                    before, after = evict(path)
                    runs.append(runner.run("cold", kind, note=f"resident {before}->{after}"))
                    print(f"    evicted: resident {before / 2**20:.0f} -> {after / 2**20:.0f} MiB")
                summary(f"cold {kind}", runs)
        elif op == "backup":
            runs = []
            for k in range(args.runs):
                dest = work if k == 0 else out / f"{path.stem}-backup.db"
                with contextlib.suppress(FileNotFoundError):
                    dest.unlink()
                runs.append(runner.run("backup", str(dest)))
                if k:
                    dest.unlink()
            summary("backup", runs)
        else:
            if not work.exists():
                print(f"   making the work copy {work}", flush=True)
                shutil.copyfile(path, work)
            if op == "forget":
                summary("forget", [runner.run("forget", h, path=work) for h in
                                   corpus.heavy_handles()[args.first:args.first + args.runs]])
            elif op == "classify":
                runs = []
                for k in range(args.runs):
                    runner.run("append", str(k), path=work, note="set-up, untimed")
                    runs.append(runner.run("classify", path=work))
                summary("classify", runs)
            elif op == "purge":
                span = len(corpus.SHAPES[args.shape].weeks) * 7 if not args.path else 364
                summary("purge", [runner.run("purge", str(span - PURGE_MONTH_DAYS * (k + 1)),
                                             path=work)
                                  for k in range(args.first, args.first + args.runs)])
    if work.exists() and work != path and not args.keep_copy:
        for name in (work, Path(f"{work}-wal"), Path(f"{work}-shm")):
            with contextlib.suppress(FileNotFoundError):
                name.unlink()


if __name__ == "__main__":
    main()

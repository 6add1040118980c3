"""No profiling of individuals: no command, storage read or report keys
anything by author, and no output carries an author's pseudonym.

This is the guard for every module: a per-author query, view or export
added anywhere makes it fail.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import typer.main

from listener.cli import app
from listener.config import Settings, load_settings
from listener.pipeline import classify
from listener.reporting import write_weekly_report
from storage import Store
from tests.cli import Cli
from tests.paths import ROOT

from .conftest import KEY, make_post, save

# Modules that write or erase by author (collection's pseudonymised writes,
# the block list, erasure): the only places author_key may appear freely.
WRITERS = {"storage/collect.py", "storage/migrations.py", "storage/records.py",
           "storage/pg_migrations.py",  # the same schema, on PostgreSQL
           "storage/blocklist.py", "storage/erasure.py",
           "storage/bulk.py",  # bulk.py: the benchmarks' bulk load of posts
           # lookups.py: who looked up whom, kept by pseudonym so that repeated viewing of
           # one person shows (the oversight the surveillance code asks for, of staff)
           "storage/lookups.py"}
# The report reads the pseudonym once into a per-connection temporary table
# (``rp.author``), used there only for distinct counts, "at least 10 authors"
# checks and one-post-per-author samples; nothing reads it back out.
TEMP_COPIES = {"storage/report_window.py"}
# The rollups read the pseudonym only to hash it (64 bits) into exact
# distinct-author counts per week and bounded per-day samples for the "at
# least 10 authors" checks; neither the pseudonym nor a per-author figure
# is ever read back out of them.
ROLLUPS = {"storage/rollup_facts.py", "storage/rollups.py"}
# The only ways a reader may use author_key: count distinct authors (or count
# them up to n, an "at least n authors" check that stops early), or keep at
# most one post per author in a sample.
ALLOWED = [r"count\(\s*DISTINCT\s+(\w+\.)?author_key\s*\)",
           r"SELECT\s+count\(\*\)\s+FROM\s+\(SELECT\s+DISTINCT\s+(\w+\.)?author_key\b",
           r"PARTITION\s+BY\s+COALESCE\(\s*(\w+\.)?author_key\s*,\s*'post:'\s*\|\|\s*(\w+\.)?id\s*\)"]


def _sources() -> list[Path]:
    files = []
    for package in ("listener", "storage", "reports", "nlp", "query", "web"):
        if (ROOT / package).is_dir():
            files += sorted((ROOT / package).rglob("*.py"))
    return files


def test_author_key_is_only_counted_distinct_outside_the_writers() -> None:
    offenders = []
    for path in _sources():
        rel = path.relative_to(ROOT).as_posix()
        if rel in WRITERS | TEMP_COPIES | ROLLUPS or rel.startswith("listener/privacy/"):
            continue
        text = path.read_text(encoding="utf-8")
        for pattern in ALLOWED:
            text = re.sub(pattern, "", text, flags=re.IGNORECASE)
        if "author_key" in text:
            offenders.append(rel)
    assert offenders == [], f"author_key used beyond a distinct count in {offenders}"


def test_no_command_takes_an_author_except_forget() -> None:
    root = typer.main.get_command(app)
    found = []

    def walk(group: object, prefix: str) -> None:
        for name, command in getattr(group, "commands", {}).items():
            for param in command.params:
                if re.search(r"author|handle|user|account|pseudonym", param.name or "", re.I):
                    found.append(f"{prefix} {name} --{param.name}")
            walk(command, f"{prefix} {name}")

    walk(root, "listener")
    assert found == ["listener forget --author"]


def _populated(settings: Settings, store: Store) -> list[str]:
    """36 posts about bins by 12 people, labelled by the repo's topic lists."""
    settings.topics.update(load_settings(ROOT / "config.yaml", check_credentials=False).topics)
    posts = []
    for n in range(36):
        author = f"resident{n % 12}"
        posts.append(make_post(
            str(5000 + n), f"Missed bin collection on street {n}, recycling left out #bins",
            handle=author, created=datetime(2026, 11, 17, 9, n, tzinfo=UTC)))
    save(store, posts, label=False)
    classify(settings, store)
    return [str(r[0]) for r in store.sql.execute("SELECT DISTINCT author_key FROM posts")]


def test_no_output_carries_a_pseudonym(settings: Settings, store: Store,
                                       tmp_path: Path, cli: Cli) -> None:
    keys = _populated(settings, store)
    assert len(keys) == 12
    out_dir = tmp_path / "reports"
    paths = write_weekly_report(settings, store, "2026-W47", formats=["html", "md", "csv", "json"],
                                out_dir=out_dir, now=datetime(2026, 11, 25, tzinfo=UTC))
    assert paths
    texts = [p.read_text(encoding="utf-8") for p in out_dir.rglob("*") if p.is_file()]
    env = {"CIVIC_LISTENER_PSEUDONYM_KEY": KEY}
    for command in (["status"], ["sources"], ["purge", "--dry-run"], ["config", "check"],
                    ["compliance", "--out", str(tmp_path / "drafts")]):
        done = cli.process("-c", settings.path, *command, env=env, timeout=120)
        assert done.returncode == 0, (command, done.stderr)
        texts += [done.stdout, done.stderr]
    texts += [p.read_text() for p in (tmp_path / "drafts").iterdir()]
    everything = "\n".join(texts)
    assert "Missed bin collection on street" in everything  # example posts are quoted
    for key in keys:
        assert key not in everything and key[:12] not in everything


def test_a_topic_from_fewer_than_ten_authors_is_suppressed(settings: Settings, store: Store,
                                                           tmp_path: Path) -> None:
    """12 posts about libraries by 3 people: no count of them is published
    (it would describe fewer than 10 authors), while 36 posts by 12 are."""
    _populated(settings, store)
    save(store, [make_post(str(6000 + n), f"The library opening hours were cut again, day {n}",
                           handle=f"reader{n % 3}",
                           created=datetime(2026, 11, 18, 9, n, tzinfo=UTC)) for n in range(12)],
         label=False)
    classify(settings, store)
    (path,) = write_weekly_report(settings, store, "2026-W47", formats=["md"],
                                  out_dir=tmp_path, now=datetime(2026, 11, 25, tzinfo=UTC))
    rows = [line for line in path.read_text().splitlines() if line.startswith("| ")]
    (libraries,) = [r for r in rows if r.startswith("| Libraries |")]
    assert "fewer than 10 authors" in libraries and "12" not in libraries
    (bins,) = [r for r in rows if r.startswith("| Bins, waste and recycling |")]
    assert "| 36 |" in bins

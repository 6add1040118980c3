"""File import (CSV, JSONL, twarc JSONL) through the pipeline and the CLI."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

from listener.pipeline import collect_source
from listener.platforms.file.config import FileSourceConfig
from listener.platforms.file.source import FileSource
from listener.privacy.pseudonym import Pseudonymiser
from storage import Store
from tests.cli import Cli
from tests.listener.platforms.recorded.x_bodies import page, place, tweet, user

PSEUDO = Pseudonymiser(b"f" * 32)

CSV = (
    "ref,body,posted,who,thumbs\n"
    "s-1,The new recycling boxes are too small,2026-10-02 14:05:00,resident-17,3\n"
    "s-2,,2026-10-02 15:00:00,resident-18,0\n"
    's-3,"Street lights out on\nMill Lane",2026-10-03T08:00:00Z,resident-19,\n'
    "s-4,Bins fine now,2026-10-04T08:00:00Z,resident-20,1,EXTRA\n"
    "s-5,Thanks for fixing the pothole,2026-10-05T09:30:00+01:00,resident-21,12\n"
)
MAP = {"id": "ref", "text": "body", "created_at": "posted", "author": "who", "likes": "thumbs"}


def source(path: Path, **overrides: Any) -> FileSource:
    return FileSource("survey", FileSourceConfig(type="file", path=str(path), **overrides))


def quarantine(store: Store) -> list[tuple[str, dict[str, Any]]]:
    rows = store.db.execute("SELECT error, payload FROM quarantine ORDER BY id").fetchall()
    return [(r[0], json.loads(r[1])) for r in rows]


def test_csv_with_a_column_map_stores_rows_and_quarantines_bad_lines(tmp_path: Path,
                                                                     store: Store) -> None:
    path = tmp_path / "survey.csv"
    path.write_text(CSV, encoding="utf-8")
    summary = collect_source(store, "survey", source(path, columns=MAP), PSEUDO)
    assert (summary.status, summary.fetched, summary.new, summary.quarantined) == ("ok", 5, 3, 2)
    texts = dict(store.db.execute("SELECT native_id, text FROM posts").fetchall())
    assert texts["s-3"] == "Street lights out on\nMill Lane"
    likes = dict(store.db.execute("SELECT native_id, likes FROM posts").fetchall())
    assert likes == {"s-1": 3, "s-3": None, "s-5": 12}
    bad = quarantine(store)
    assert bad[0][0] == "line 3: missing or empty field 'text'" and bad[0][1]["id"] == "s-2"
    assert bad[1][0].startswith("line 6") and "more fields" in bad[1][0]  # s-3 spans 2 lines
    assert store.db.execute("SELECT count(*) FROM posts WHERE author_key IS NULL"
                            ).fetchone()[0] == 0


def test_importing_the_same_file_twice_stores_nothing_new(tmp_path: Path, store: Store) -> None:
    path = tmp_path / "survey.csv"
    path.write_text(CSV, encoding="utf-8")
    collect_source(store, "survey", source(path, columns=MAP), PSEUDO)
    tables = ("posts", "raw_payloads", "post_matches", "quarantine")
    before = {t: store.db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}
    again = collect_source(store, "survey", source(path, columns=MAP), PSEUDO)
    after = {t: store.db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}
    assert (again.status, again.new, again.fetched) == ("ok", 0, 0)
    assert after == before


def test_a_changed_column_map_is_read_again_and_updates_posts(tmp_path: Path, store: Store) -> None:
    path = tmp_path / "survey.csv"
    path.write_text(CSV, encoding="utf-8")
    collect_source(store, "survey", source(path, columns=MAP), PSEUDO)
    fixed = collect_source(store, "survey", source(path, columns={**MAP, "title": "who"}),
                           PSEUDO)
    assert (fixed.fetched, fixed.new, fixed.duplicates) == (5, 0, 3)
    assert store.db.execute("SELECT title FROM posts WHERE native_id = 's-1'"
                            ).fetchone() == ("resident-17",)


def test_killed_import_resumes_after_the_stored_rows(tmp_path: Path, store: Store) -> None:
    path = tmp_path / "survey.csv"
    path.write_text(CSV, encoding="utf-8")
    stop = threading.Event()
    stop.set()
    first = collect_source(store, "survey", source(path, columns=MAP, page_size=2), PSEUDO,
                           stop=stop)
    assert (first.pages, first.fetched) == (1, 2)
    rest = collect_source(store, "survey", source(path, columns=MAP, page_size=2), PSEUDO)
    assert (rest.fetched, rest.new, rest.duplicates) == (3, 2, 0)
    assert store.count_posts() == 3 and len(quarantine(store)) == 2


def test_jsonl_rows_with_dotted_columns(tmp_path: Path, store: Store) -> None:
    path = tmp_path / "export.jsonl"
    rows = [{"uid": "e1", "message": {"body": "GP appointment wait is 3 weeks"},
             "ts": 1790000000, "user": {"name": "patient-a"}, "platform": "facebook"},
            "not an object"]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n{broken\n", encoding="utf-8")
    columns = {"id": "uid", "text": "message.body", "created_at": "ts", "author": "user.name"}
    summary = collect_source(store, "survey", source(path, columns=columns), PSEUDO)
    assert (summary.new, summary.quarantined) == (1, 2)
    assert store.db.execute("SELECT platform, text FROM posts").fetchone() == (
        "file", "GP appointment wait is 3 weeks")
    errors = [e for e, _ in quarantine(store)]
    assert errors[0].startswith("line 2: expected a JSON object")
    assert errors[1].startswith("line 3: invalid JSON")


def twarc_line(body: dict[str, Any]) -> str:
    return json.dumps({**body, "__twarc": {"url": "https://api.twitter.com/2/tweets/search/"
                                                  "recent?query=bins", "version": "2.14.0",
                                           "retrieved_at": "2026-11-20T10:00:00+00:00"}})


def test_twarc_jsonl_pages_become_x_posts_like_the_x_source(tmp_path: Path, store: Store) -> None:
    path = tmp_path / "bins.jsonl"
    one = page([tweet("1860000000000000005", "Bins not collected", "11", likes=4,
                      place_id="pl1")],
               [user("11", "resident_a")], places=[place("pl1", "Leeds, England")],
               next_token="abc")
    two = page([tweet("1860000000000000004", "Same here", "12"),
                tweet("1860000000000000003", "orphan", "404")], [user("12", "resident_b")])
    path.write_text(twarc_line(one) + "\n" + twarc_line(two) + "\n", encoding="utf-8")
    summary = collect_source(store, "bins_archive", source(path), PSEUDO)
    assert (summary.status, summary.pages, summary.new, summary.quarantined) == ("ok", 2, 2, 1)
    assert store.db.execute("SELECT platform, place, likes FROM posts WHERE native_id ="
                            " '1860000000000000005'").fetchone() == ("x", "Leeds, England", 4)
    error, payload = quarantine(store)[0]
    assert "includes.users" in error and payload["tweet"]["id"] == "1860000000000000003"


def test_twarc_format_refuses_lines_that_are_not_pages(tmp_path: Path, store: Store) -> None:
    path = tmp_path / "mixed.jsonl"
    path.write_text(json.dumps({"id": "r1", "text": "a row", "created_at": 1}) + "\n")
    summary = collect_source(store, "t", source(path, format="twarc"), PSEUDO)
    assert (summary.new, summary.quarantined) == (0, 1)
    assert "not an X API v2 response page" in quarantine(store)[0][0]


def test_cli_import_reports_counts_and_uses_the_storage_path(tmp_path: Path, cli: Cli) -> None:
    (tmp_path / "config.yaml").write_text(
        "storage:\n  path: data/t.db\nsources:\n  survey:\n    type: file\n"
        "    path: unused.csv\n    columns: {id: ref, author: who}\n", encoding="utf-8")
    (tmp_path / "survey.csv").write_text(CSV, encoding="utf-8")
    env = {"CIVIC_LISTENER_PSEUDONYM_KEY": "cli-test-key-0123456789abcdef"}
    cmd = ["-c", tmp_path / "config.yaml", "import", tmp_path / "survey.csv",
           "--source", "survey", "--map", "text=body", "--map", "created_at=posted"]
    first = cli.process(*cmd, env=env, cwd=tmp_path, timeout=120)
    assert first.returncode == 0, first.stderr
    assert "5 read, 3 new, 0 already stored, 2 quarantined" in first.stdout
    second = cli.process(*cmd, env=env, cwd=tmp_path, timeout=120)
    assert second.returncode == 0 and "0 new" in second.stdout
    assert "already imported" in second.stdout
    bad = cli.process(*cmd[:-4], "--map", "oops", env=env, cwd=tmp_path, timeout=120)
    assert bad.returncode == 2 and "FIELD=COLUMN" in bad.stderr

"""``listener db copy`` as an admin runs it: the SQLite database the config
names into the PostgreSQL database whose DSN is in the variable the config
names, and back; counts said per table; the DSN never shown."""

from __future__ import annotations

from pathlib import Path

from storage import Store
from tests.cli import Cli

CONFIG = ("storage:\n  path: data/listener.db\n  dsn_env: CIVIC_LISTENER_DSN\n"
          "sources:\n  sample:\n    type: sample\n    scale: 0.05\n")


def test_db_copy_there_and_back(tmp_path: Path, cli: Cli, pg_dsn: str) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(CONFIG)
    env = {"CIVIC_LISTENER_DSN": pg_dsn, "CIVIC_LISTENER_PSEUDONYM_KEY": "k" * 32}
    collected = cli("-c", config, "collect", env=env)  # into SQLite, the default backend
    assert collected.returncode == 0, collected.output
    with Store.open(tmp_path / "data" / "listener.db") as lite:
        posts, runs = lite.count_posts(), len(lite.runs.recent())

    there = cli("-c", config, "db", "copy", "--to", "postgresql", "--batch", "100", env=env)
    assert there.returncode == 0, there.output
    (line,) = [x.split() for x in there.output.splitlines() if x.split()[:1] == ["posts"]]
    assert line == ["posts", f"{posts:,}", "rows", "(source", f"{posts:,})"]
    assert "every table's rows counted on both sides and equal" in there.output
    assert "copying" in there.output and "$CIVIC_LISTENER_DSN" in there.output
    assert pg_dsn not in there.output
    with Store.open_postgresql(pg_dsn) as pg:
        assert pg.count_posts() == posts and len(pg.runs.recent()) == runs

    again = cli("-c", config, "db", "copy", "--to", "postgresql", env=env)
    assert again.returncode == 1
    assert "already holds data" in again.output and "--replace" in again.output
    assert pg_dsn not in again.output

    back = cli("-c", config, "db", "copy", "--to", "sqlite", "--file", tmp_path / "back.db",
               env=env)
    assert back.returncode == 0, back.output
    with Store.open(tmp_path / "back.db") as copy:
        assert copy.count_posts() == posts


def test_db_copy_refuses_a_missing_sqlite_file(tmp_path: Path, cli: Cli) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(CONFIG)
    result = cli("-c", config, "db", "copy", "--to", "postgresql",
                 env={"CIVIC_LISTENER_DSN": "host=/nowhere dbname=x password=secret"})
    assert result.returncode == 1
    assert "no SQLite database at" in result.output and "secret" not in result.output

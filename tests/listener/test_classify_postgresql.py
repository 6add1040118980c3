"""``listener classify`` on PostgreSQL, as an admin runs it: the sample is
collected, classified and relabelled on a PostgreSQL database, ``listener
rollups check`` finds the rollups equal to a fresh count there, and the
labels and rollups are those the same commands write to SQLite for the
same posts (same config, same pseudonym key)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from storage import Store
from tests.cli import Cli
from tests.listener.privacy.conftest import KEY
from tests.pg import run_ok as _run
from tests.pg import sample_collected_on_both

ROLLUP_TABLES = ("rollup_posts", "rollup_topics", "rollup_terms", "rollup_places",
                 "rollup_sources", "rollup_classifiers", "rollup_week_authors",
                 "rollup_author_samples", "rollup_examples")


def _rows(store: Store, sql: str) -> list[tuple[Any, ...]]:
    return sorted((tuple(r) for r in store.sql.execute(sql)), key=repr)


def _content(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    """What classification wrote: labels (without their time), which
    classifier looked at each post, and every rollup table."""
    out = {table: _rows(store, f"SELECT * FROM {table}") for table in ROLLUP_TABLES}
    out["labels"] = _rows(store, "SELECT p.native_id, l.task, l.label, l.score, l.classifier,"
                                 " l.version, l.evidence, l.config_hash FROM labels l"
                                 " JOIN posts p ON p.id = l.post_id")
    out["label_state"] = _rows(store, "SELECT p.native_id, s.task, s.classifier, s.version,"
                                      " s.config_hash FROM label_state s"
                                      " JOIN posts p ON p.id = s.post_id")
    return out



def test_classify_and_relabel_on_postgresql_keep_the_rollups_true_and_equal_sqlite(
        tmp_path: Path, cli: Cli, pg_dsn: str) -> None:
    lite, pg, env = sample_collected_on_both(tmp_path, pg_dsn, cli, KEY)
    for config in (lite, pg):
        checked = _run(cli, config, env, "rollups", "check")
        assert "0 difference(s)" in checked and "0 post(s) not yet labelled" in checked
        _run(cli, config, env, "classify", "--relabel", "--since", "2026-11-01")
        assert "0 difference(s)" in _run(cli, config, env, "rollups", "check")
    with Store.open_postgresql(pg_dsn) as on_pg, \
            Store.open(tmp_path / "sqlite" / "data" / "civic-listener.db") as on_sqlite:
        assert on_pg.count_posts() == on_sqlite.count_posts() > 1000
        assert on_pg.rollups.queued() == 0
        relabelled = [(r.task, r.since, r.posts) for r in on_pg.relabels.history()]
        assert relabelled == [(r.task, r.since, r.posts) for r in on_sqlite.relabels.history()]
        assert relabelled and all(posts > 0 for _, _, posts in relabelled)
        pg_content, lite_content = _content(on_pg), _content(on_sqlite)
        assert pg_content["rollup_posts"] and pg_content["labels"]
        for table, rows in lite_content.items():
            assert pg_content[table] == rows, table
    assert not (tmp_path / "pg" / "data" / "civic-listener.db").exists()

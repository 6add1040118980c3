"""``listener purge`` and ``listener forget`` on PostgreSQL, as an admin
runs them: the sample is collected and classified on both backends, the
same purge and the same erasure remove the same posts, ``listener rollups
check`` finds the rollups equal to a fresh count after each, and the
labels and rollups left are those SQLite keeps."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from storage import Store
from tests.cli import Cli
from tests.listener.privacy.conftest import KEY
from tests.listener.test_classify_postgresql import _content
from tests.pg import run_ok as _run
from tests.pg import sample_collected_on_both


def test_purge_and_forget_on_postgresql_keep_the_rollups_true_and_equal_sqlite(
        tmp_path: Path, cli: Cli, pg_dsn: str) -> None:
    lite, pg, env = sample_collected_on_both(tmp_path, pg_dsn, cli, KEY)
    with Store.open(tmp_path / "sqlite" / "data" / "civic-listener.db") as on_sqlite:
        middle = str(on_sqlite.sql.execute(
            "SELECT created_at FROM posts ORDER BY created_at LIMIT 1 OFFSET"
            " (SELECT count(*) / 2 FROM posts)").fetchone()[0])
        url = str(on_sqlite.sql.execute(
            "SELECT url FROM posts WHERE platform = 'x' AND created_at > ? AND url IS NOT NULL"
            " ORDER BY id LIMIT 1", [middle]).fetchone()[0])
        total = on_sqlite.count_posts()
    days = (datetime.now(UTC) - datetime.fromisoformat(middle)).days
    for config in (lite, pg):
        config.write_text(config.read_text().replace(
            "retention_days: 400 ", f"retention_days: {days} ", 1))
        purged = _run(cli, config, env, "purge")
        assert "0 difference(s)" in _run(cli, config, env, "rollups", "check")
        forgot = _run(cli, config, env, "forget", "--url", url)
        assert "posts: 1" in forgot, forgot
        assert "0 difference(s)" in _run(cli, config, env, "rollups", "check")
    assert "posts:" in purged
    with Store.open_postgresql(pg_dsn) as on_pg, \
            Store.open(tmp_path / "sqlite" / "data" / "civic-listener.db") as on_sqlite:
        left = on_sqlite.count_posts()
        assert on_pg.count_posts() == left and 0 < left < total - 1
        ids = "SELECT platform, native_id FROM posts ORDER BY 1, 2"
        assert on_pg.sql.execute(ids).fetchall() == on_sqlite.sql.execute(ids).fetchall()
        pg_content, lite_content = _content(on_pg), _content(on_sqlite)
        for table, rows in lite_content.items():
            assert pg_content[table] == rows, table

"""``listener collect`` on PostgreSQL, as an admin runs it: the config names
the backend and the variable holding the DSN; the sample source's pages,
their quarantined items, cursors and runs land in the server's database,
and a second run stores nothing twice."""

from __future__ import annotations

from pathlib import Path

from storage import Store
from tests.cli import Cli

CONFIG = ("storage:\n  backend: postgresql\n  dsn_env: CIVIC_LISTENER_DSN\n"
          "sources:\n  sample:\n    type: sample\n")


def test_collect_stores_the_sample_on_postgresql(tmp_path: Path, cli: Cli,
                                                 pg_dsn: str) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(CONFIG)
    env = {"CIVIC_LISTENER_DSN": pg_dsn}
    first = cli("-c", config, "collect", env=env)
    assert first.returncode == 0, first.output
    with Store.open_postgresql(pg_dsn) as pg:
        posts = pg.count_posts()
        assert posts > 1000
        (run,) = pg.runs.recent("sample")
        assert (run.status, run.new, run.quarantined) == ("ok", posts, 4)
        quarantined = pg.sql.execute("SELECT count(*) FROM quarantine").fetchone()[0]
        assert quarantined == 4
        assert pg.collect.cursor("sample")  # saved with the last page
        assert len(pg.config_versions.history()) == 1
    second = cli("-c", config, "collect", env=env)
    assert second.returncode == 0, second.output
    with Store.open_postgresql(pg_dsn) as pg:
        assert pg.count_posts() == posts
    assert not (tmp_path / "data" / "civic-listener.db").exists()  # no SQLite file made


def test_collect_says_when_the_dsn_variable_is_unset(tmp_path: Path, cli: Cli) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(CONFIG)
    result = cli("-c", config, "collect", env={"CIVIC_LISTENER_DSN": ""})
    assert result.returncode == 1
    assert "$CIVIC_LISTENER_DSN, which is not set" in result.output

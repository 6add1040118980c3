"""``listener collect`` and ``listener import`` on PostgreSQL, as an admin
runs them: the config names the backend and the variable holding the DSN;
the sample source's pages, their quarantined items, cursors and runs land
in the server's database, and a second run stores nothing twice; an import
stores and prints the same as on SQLite."""

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


def test_collect_and_import_by_hand_leave_a_source_another_process_collects(
        tmp_path: Path, cli: Cli, pg_dsn: str) -> None:
    """Several collectors on one database: by hand, a source a service is
    collecting is skipped (collect) or refused (import), never collected twice."""
    config = tmp_path / "config.yaml"
    config.write_text(CONFIG + "    scale: 0.05\n")
    survey = tmp_path / "survey.csv"
    survey.write_text("id,text,created_at,author\na,bins,2026-11-20T09:00:00Z,jo\n")
    env = {"CIVIC_LISTENER_DSN": pg_dsn, "CIVIC_LISTENER_PSEUDONYM_KEY": "k" * 32}
    with Store.open_postgresql(pg_dsn) as service:
        with service.runs.collecting("sample") as held, service.runs.collecting("import") as too:
            assert held and too
            skipped = cli("-c", config, "collect", env=env)
            refused = cli("-c", config, "import", survey, env=env)
        assert skipped.returncode == 0, skipped.output
        assert "source sample: being collected by another process" in skipped.output
        assert refused.returncode == 3
        assert "'import' is being collected by another process" in refused.output
        assert service.count_posts() == 0 and service.runs.recent() == []
        collected = cli("-c", config, "collect", env=env)  # released: collected now
        assert collected.returncode == 0, collected.output
        assert service.count_posts() > 0


def _imported(store: Store) -> dict[str, list[tuple[object, ...]]]:
    return {
        "posts": [tuple(r) for r in store.sql.execute(
            "SELECT platform, native_id, text, title, created_at, author_key, likes, place"
            " FROM posts ORDER BY platform, native_id")],
        "quarantine": [tuple(r) for r in store.sql.execute(
            "SELECT source, error FROM quarantine ORDER BY id")],
        "runs": [(r.source, r.status, r.fetched, r.new, r.duplicates, r.quarantined)
                 for r in store.runs.recent()],
    }


def test_import_of_csv_and_jsonl_stores_the_same_on_both_backends(
        tmp_path: Path, cli: Cli, pg_dsn: str) -> None:
    """``listener import`` (CSV with a poison row and a duplicate id, then
    JSONL, then the CSV again) prints and stores the same on PostgreSQL as
    on SQLite: posts, quarantined rows and runs."""
    survey = tmp_path / "survey.csv"
    survey.write_text("id,text,created_at,author,likes\n"
                      "a,Bins missed on Mill Road,2026-11-20T09:00:00Z,jo,3\n"
                      "b,Pothole on the high street,not a date,sam,1\n"
                      "c,Park gates locked again,2026-11-21T10:30:00Z,al,\n"
                      "a,Bins missed on Mill Road (edited),2026-11-20T09:00:00Z,jo,4\n")
    feedback = tmp_path / "feedback.jsonl"
    feedback.write_text('{"id": "f1", "text": "Library hours cut", "created_at": '
                        '"2026-11-22T08:00:00Z", "author": "kim"}\n{"id": "f2"}\n')
    env = {"CIVIC_LISTENER_DSN": pg_dsn, "CIVIC_LISTENER_PSEUDONYM_KEY": "k" * 32}
    said: dict[str, list[str]] = {}
    stored: dict[str, dict[str, list[tuple[object, ...]]]] = {}
    for backend in ("sqlite", "postgresql"):
        config = tmp_path / backend / "config.yaml"
        config.parent.mkdir()
        config.write_text(CONFIG if backend == "postgresql" else "sources: {}\n")
        said[backend] = []
        for args in ((survey,), (feedback, "--source", "feedback"), (survey,)):
            ran = cli("-c", config, "import", *args, env=env)
            said[backend].append(f"{ran.returncode} {ran.stdout}")
        with (Store.open_postgresql(pg_dsn) if backend == "postgresql"
              else Store.open(config.parent / "data" / "civic-listener.db")) as store:
            assert store.backend == backend
            stored[backend] = _imported(store)
    lite = stored["sqlite"]
    assert said["sqlite"][0].startswith("0 survey.csv -> source import: ok;")
    assert [p[1] for p in lite["posts"]] == ["a", "c", "f1"]
    assert len(lite["quarantine"]) == 3  # the bad date, the duplicate id, no text
    assert said["postgresql"] == said["sqlite"]
    assert stored["postgresql"] == lite

"""``listener topics suggest`` and ``listener topics health`` as an admin
runs them, on a small database this test builds: on each backend, with the
same results."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml

from listener.config import load_settings
from listener.pipeline import classify
from storage import Post, Store, StoredItem
from tests.cli import Cli

CONFIG = """storage:
  path: {db}
  data_dir: {data}
sources: {{}}
topics:
  bins:
    label: Bins and rubbish
    terms: [bin, rubbish]
    phrases: [bin collection]
    examples:
      - Our bins were not emptied this week
      - Rubbish has been dumped on the corner again
  parks:
    label: Parks
    terms: [park, playground]
    examples: [The playground in the park has been closed for months]
  parking:
    label: Parking
    terms: [parking, permit]
    examples: [I got a parking ticket even though I had paid at the machine]
"""

GARBAGE = [  # "garbage" is in no list: the word suggest should find
    "Garbage dumped on the corner of {} again, @resident_{} says nobody came",
    "Nobody cleared the garbage outside {} this week",
    "The garbage on {} has been there for days and it smells",
]
STREETS = ["Mill Road", "Elm Close", "Quarry Lane", "High Street"]
PARK_NOISE = "Can I park overnight on {} without a permit?"  # "park" matching noise
PARK_GOOD = "The playground in the park near {} has broken swings"


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """The backend the config names (PostgreSQL: a fresh database, its DSN in
    ``$CIVIC_LISTENER_DSN``)."""
    if request.param == "postgresql":
        monkeypatch.setenv("CIVIC_LISTENER_DSN", request.getfixturevalue("pg_dsn"))
    return str(request.param)


def build(tmp_path: Path, backend: str = "sqlite") -> Path:
    path = tmp_path / "config.yaml"
    text = CONFIG.format(db=tmp_path / "t.db", data=tmp_path / "data")
    if backend == "postgresql":
        text = text.replace("storage:\n", "storage:\n  backend: postgresql\n"
                            "  dsn_env: CIVIC_LISTENER_DSN\n", 1)
    path.write_text(text, encoding="utf-8")
    settings = load_settings(path, check_credentials=False)
    texts = [g.format(s, i) for i, s in enumerate(STREETS) for g in GARBAGE]
    texts += [PARK_NOISE.format(s) for s in [*STREETS, "the estate", "Green Lane", "Oak Avenue",
                                                  "Station Road", "Ash Grove", "Mill Lane"]]
    texts += [PARK_GOOD.format(s) for s in STREETS[:2]]
    texts += ["Missed bin collection on Mill Road", "Lovely sunny day today"]
    start = datetime(2026, 11, 17, 9, tzinfo=UTC)
    with Store.from_settings(settings.storage, settings.database_path) as store:
        assert store.backend == backend
        run = store.runs.start("s")
        store.collect.save_page(source="s", run_id=run, items=[
            StoredItem(Post(platform="x", native_id=str(i), text=t, author_key=f"k{i}",
                            created_at=start + timedelta(hours=i)), {"id": str(i)})
            for i, t in enumerate(texts)])
        classify(settings, store)
    return path


def test_suggest_proposes_a_word_really_there_as_yaml_config_check_accepts(
        tmp_path: Path, cli: Cli, backend: str) -> None:
    config = build(tmp_path, backend)
    before = config.read_text(encoding="utf-8")
    out = tmp_path / "suggested.yaml"

    done = cli("-c", config, "topics", "suggest", "--weeks", "2", "--out", out)

    assert done.returncode == 0, done.output
    assert "bins (Bins and rubbish)" in done.stdout
    assert "+ term   'garbage': 12 more posts" in done.stdout
    assert "e.g. " in done.stdout and "@resident_" not in done.stdout  # handles masked
    assert config.read_text(encoding="utf-8") == before  # never edits config.yaml itself
    snippet = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert "garbage" in snippet["topics"]["bins"]["terms"]
    assert snippet["topics"]["bins"]["terms"][:2] == ["bin", "rubbish"]  # the entry is whole

    # pasted as the snippet says, `config check` accepts it and the word now matches
    merged = yaml.safe_load(before)
    merged["topics"].update(snippet["topics"])
    pasted = tmp_path / "pasted.yaml"
    pasted.write_text(yaml.safe_dump(merged, sort_keys=False), encoding="utf-8")
    checked = cli("-c", pasted, "config", "check")
    assert checked.returncode == 0, checked.output


def test_health_flags_a_term_that_mostly_matches_noise(tmp_path: Path, cli: Cli,
                                                        backend: str) -> None:
    config = build(tmp_path, backend)

    done = cli("-c", config, "topics", "health", "--weeks", "2")

    assert done.returncode == 0, done.output
    rows = {tuple(line.split()[:2]): line for line in done.stdout.splitlines()
            if line.startswith(("parks", "bins", "parking"))}
    park = rows[("parks", "park")]
    assert "NOISY" in park and park.split()[2] == "12"
    assert "NOISY" not in rows[("bins", "bin")]
    assert "NOISY" not in rows[("parks", "playground")]
    assert "1 noisy term(s)" in done.stdout


def test_health_and_suggest_say_the_same_on_both_backends(
        tmp_path: Path, cli: Cli, pg_dsn: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CIVIC_LISTENER_DSN", pg_dsn)
    said: dict[str, list[str]] = {}
    for backend in ("sqlite", "postgresql"):
        folder = tmp_path / backend
        folder.mkdir()
        config = build(folder, backend)
        said[backend] = []
        for args in (("health", "--weeks", "2"),
                     ("suggest", "--weeks", "2", "--out", str(folder / "suggested.yaml"))):
            done = cli("-c", config, "topics", *args)
            assert done.returncode == 0, done.output
            said[backend].append(done.stdout.replace(str(folder), "<folder>"))
    assert "NOISY" in said["sqlite"][0] and "'garbage'" in said["sqlite"][1]
    assert said["postgresql"] == said["sqlite"]

"""Config reload: a valid edit takes effect and is recorded; an invalid one
is rejected with file and line, and the last good config stays in force."""

from __future__ import annotations

from pathlib import Path

import pytest

from listener.config import Settings, load_settings
from listener.service.reload import ConfigWatcher
from storage import Store

CONFIG = """\
storage:
  path: data/test.db
sources:
  sample:
    type: sample
    interval_minutes: 1
topics:
  potholes:
    label: Potholes
    terms: [pothole]
"""


@pytest.fixture
def setup(tmp_path):
    path = tmp_path / "config.yaml"
    path.write_text(CONFIG)
    settings = load_settings(path)
    store = Store.open(settings.database_path)
    applied: list[Settings] = []
    watcher = ConfigWatcher(path, settings, state=lambda: store.service,
                            on_change=applied.append)
    yield path, watcher, applied, store.service
    store.close()


def test_unchanged_file_is_left_alone(setup):
    path, watcher, applied, _ = setup
    assert watcher.check() is False
    path.write_text(CONFIG)  # rewritten, same content
    assert watcher.check() is False and applied == []


def test_valid_edit_takes_effect(setup):
    path, watcher, applied, state = setup
    old = watcher.current.config_hash
    path.write_text(CONFIG.replace("[pothole]", "[pothole, tarmac]"))
    assert watcher.check() is True
    (new,) = applied
    assert new.topics["potholes"].terms == ["pothole", "tarmac"]
    assert watcher.current is new and new.config_hash != old
    assert state.get("config_error") is None


def test_invalid_edit_is_rejected_with_its_line_and_last_good_kept(setup):
    path, watcher, applied, state = setup
    good = watcher.current
    path.write_text(CONFIG.replace("interval_minutes: 1", "interval_minutes: often"))
    assert watcher.check() is False
    assert applied == [] and watcher.current is good
    error = state.get("config_error")
    assert error["running_on"] == good.config_hash
    (problem,) = error["problems"]
    assert problem["file"] == str(path) and problem["line"] == 6
    assert problem["key"] == "sources.sample.interval_minutes"
    assert watcher.check() is False  # no change since: nothing new
    path.write_text(CONFIG.replace("[pothole]", "[pothole, tarmac]"))
    assert watcher.check() is True
    assert state.get("config_error") is None


def test_broken_yaml_is_rejected_with_its_line(setup):
    path, watcher, _, state = setup
    path.write_text(CONFIG.replace("    terms: [pothole]", "    terms: [pothole"))
    assert watcher.check() is False
    (problem,) = state.get("config_error")["problems"]
    assert problem["line"] is not None and "not valid YAML" in problem["message"]


def test_moving_the_database_needs_a_restart(setup):
    path, watcher, applied, state = setup
    path.write_text(CONFIG.replace("data/test.db", "data/other.db"))
    assert watcher.check() is False and applied == []
    assert state.get("config_error")["problems"][0]["key"] == "storage.path"


def test_enabling_a_live_source_without_governance_is_rejected(setup):
    path, watcher, applied, state = setup
    path.write_text(CONFIG.replace("topics:", "  live:\n    type: mastodon\n    enabled: true\n"
                    "    instances: [mastodon.social]\n    hashtags: [potholes]\ntopics:"))
    assert watcher.check() is False and applied == []
    problems = state.get("config_error")["problems"]
    assert any("governance.purpose is blank" in p["message"] for p in problems)


def test_database_is_where_the_config_says(setup, tmp_path: Path):
    _, watcher, *_ = setup
    assert watcher.current.database_path == tmp_path / "data" / "test.db"

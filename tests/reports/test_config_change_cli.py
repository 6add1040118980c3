"""An admin adds a topic, checks the config, relabels history and writes the
report again, all through the CLI: the report says in words that the topic
is new, that history was relabelled (and when), and that the week's numbers
changed since the report written before, and why."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from storage import Store
from tests.cli import Cli
from tests.paths import ROOT
from tests.pg import on_store
from tests.reports.builders import Spec, add, at


def test_topic_added_then_relabel_then_report(tmp_path: Path, cli: Cli, store: Store,
                                              request: pytest.FixtureRequest,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "config.yaml"
    config.write_text((ROOT / "config.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    for name, value in on_store(config, store, request).items():
        monkeypatch.setenv(name, value)
    add(store, [Spec(when=at("2026-11-17", 9, k % 60), author=f"w{k}", sentiment="negative",
                     text=f"Day {k} of the walkout at the depot, bins piling up",
                     topics=[("waste_recycling", ("bin",))]) for k in range(24)])
    run = ("--config", config)
    assert cli(*run, "classify", "--relabel").returncode == 0
    out = tmp_path / "out"
    first = cli(*run, "report", "--week", "2026-W47", "--format", "html,md", "--out", out)
    assert first.returncode == 0, first.stderr

    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    data["topics"]["industrial_action"] = {"label": "Industrial action",
                                           "terms": ["walkout", "strike"]}
    config.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    assert cli(*run, "config", "check").returncode == 0
    relabel = cli(*run, "classify", "--relabel")
    assert relabel.returncode == 0, relabel.stderr
    second = cli(*run, "report", "--week", "2026-W47", "--format", "html,md", "--out", out)
    assert second.returncode == 0, second.stderr

    html = (out / "report-2026-W47.html").read_text(encoding="utf-8")
    changes = re.search(r'<section aria-labelledby="s-changes">(.*?)</section>', html, re.S)
    assert changes is not None
    words = re.sub(r"<[^>]+>", " ", changes[1])
    assert "No configuration change" not in words
    assert "New topic “Industrial action” added on" in words
    assert "History relabelled on" in words and "topic labels of every post" in words
    assert "This report replaces the one written on" in words
    assert "Industrial action 0 → 24" in words
    assert "the configuration changed on" in words and "relabelled on" in words
    md = (out / "report-2026-W47.md").read_text(encoding="utf-8")
    assert "New topic “Industrial action” added on" in md
    assert "This report replaces the one written on" in md

"""A config (the repository's own) and a database with one labelled week,
2026-W47, for the audit commands."""

from __future__ import annotations

from pathlib import Path

import pytest

from storage import Store
from tests.paths import ROOT
from tests.reports.builders import Spec, add, at

HOSTILE = ('=HYPERLINK("https://evil.example","click me")', "'Tis the bins again",
           "+1 to the pothole on Mill Lane", "@bob_smith the bins were missed, ask @ExampleCouncil")


def week_specs() -> list[Spec]:
    specs = [Spec(when=at("2026-11-17", 9, k), author=f"w{k}", text=f"bins post {k}",
                  topics=[("waste_recycling", ("bin",))],
                  sentiment=("negative", "neutral", "positive")[k % 3]) for k in range(20)]
    specs += [Spec(when=at("2026-11-18", 9, k), author=f"r{k}", text=f"roads post {k}",
                   topics=[("roads_potholes", ("pothole",))], sentiment="negative")
              for k in range(6)]
    specs += [Spec(when=at("2026-11-19", 9, k), author=f"h{k}", text=text,
                   topics=[("waste_recycling", ("bin",))], sentiment="negative")
              for k, text in enumerate(HOSTILE)]
    return specs


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "config.yaml"
    path.write_text((ROOT / "config.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    with Store.open(tmp_path / "data" / "civic-listener.db") as store:
        add(store, week_specs())
    return path


@pytest.fixture
def db(config: Path) -> Path:
    return config.parent / "data" / "civic-listener.db"

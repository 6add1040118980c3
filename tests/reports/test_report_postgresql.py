"""``listener report`` on PostgreSQL, end to end, as an admin runs it: the
sample is collected and classified on each backend (as in
tests/listener/test_classify_postgresql.py), an accuracy audit is drawn and
labelled and an action logged through the same commands, and the weekly
report (discovery run first) is written. Its figures are the same on both:
every table (JSON and CSV) and the Markdown, but for the config hash (the
configs differ in their ``storage`` block) and the time the source last
ran (collected a few seconds apart)."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from typing import Any

import pytest

from storage import Store
from tests.cli import Cli
from tests.listener.privacy.conftest import KEY
from tests.pg import run_ok as _run
from tests.pg import sample_configs

WEEK = "2026-W47"
SENTIMENTS = ("negative", "neutral", "positive")
# "Fri 04 Dec 2026 22:50": when the source last ran (coverage), local time
_RAN_AT = re.compile(r"\b[A-Z][a-z]{2} \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}\b")



def _label(path: Path) -> None:
    """Fill the audit CSV as staff would (the same answers for the same items)."""
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert rows
    for row in rows:
        item = int(row["item"])
        row["sentiment"] = SENTIMENTS[item % 3]
        row["topics"] = "waste_recycling" if item % 2 else "none"
        row["labeller"] = "audit-team"
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def _without_times(text: str) -> str:
    return _RAN_AT.sub("<ran at>", text)


def _report(folder: Path) -> dict[str, Any]:
    """What the report says, but for the config hash and the run times."""
    data = json.loads((folder / f"report-{WEEK}.json").read_text())
    data.pop("config_hash")
    data["tables"]["coverage"]["rows"] = [[_without_times(str(v)) for v in row]
                                          for row in data["tables"]["coverage"]["rows"]]
    md = (folder / f"report-{WEEK}.md").read_text()
    md = re.sub(r"config hash [0-9a-f]+", "config hash <hash>", _without_times(md))
    tables = {p.name: _without_times(p.read_text()) for p in sorted(folder.glob("*.csv"))}
    return {"json": data, "md": md, "csv": tables}


def test_the_weekly_report_on_postgresql_has_the_figures_of_sqlite(
        tmp_path: Path, cli: Cli, pg_dsn: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CIVIC_LISTENER_PSEUDONYM_KEY", KEY)
    lite, pg, env = sample_configs(tmp_path, pg_dsn)
    reports = {}
    for name, config in (("sqlite", lite), ("postgresql", pg)):
        _run(cli, config, env, "collect")
        _run(cli, config, env, "classify")
        sheet = tmp_path / f"audit-{name}.csv"
        _run(cli, config, env, "audit", "draw", "--week", WEEK, "--n", "60", "--seed", "7",
             "--out", sheet)
        _label(sheet)
        assert "60" in _run(cli, config, env, "audit", "load", sheet, "--labeller", "audit-team")
        _run(cli, config, env, "action", "add", "--topic", "waste_recycling",
             "--date", "2026-11-18", "--text", "Extra crews on the missed rounds")
        out = tmp_path / f"out-{name}"
        _run(cli, config, env, "report", "--week", WEEK, "--format", "json,md,csv",
             "--out", out)
        reports[name] = _report(out)
    on_pg, on_sqlite = reports["postgresql"], reports["sqlite"]
    tables = on_pg["json"]["tables"]
    # the sections read from the modules ported for it are not empty
    assert tables["accuracy"]["rows"] and tables["actions"]["rows"]
    assert "No staff audit" not in on_pg["md"]
    assert on_pg["json"]["discovery"]  # discovery ran on PostgreSQL (its run stated)
    assert tables["topics"]["rows"] and tables["engaged_summary"]["rows"]
    assert on_pg["csv"].keys() == on_sqlite["csv"].keys()
    for name, table in on_sqlite["csv"].items():
        assert on_pg["csv"][name] == table, name
    assert on_pg["json"] == on_sqlite["json"]
    assert on_pg["md"] == on_sqlite["md"]
    with Store.open_postgresql(pg_dsn) as stored:
        assert stored.themes.run("week", WEEK) is not None
        assert [a.fields.text for a in stored.actions.listed()] == [
            "Extra crews on the missed rounds"]
        assert len(stored.audits.summaries()) == 1

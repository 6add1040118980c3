"""``listener report --week`` at the ends of the calendar (issue 16: "Dates
like 9999-12-31, 9999-W52 and 0001-W01 give an OverflowError ... in
report"): a plain message and exit code 2, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli import Cli


@pytest.mark.parametrize("week", ["9999-W52", "9999-W01", "0001-W01", "0001-W02"])
def test_a_week_at_the_ends_of_the_calendar_is_refused_in_words(
        repo_config: Path, tmp_path: Path, cli: Cli, week: str) -> None:
    done = cli("report", "-c", repo_config, "--week", week, "--format", "md", "--out", tmp_path)
    assert done.returncode == 2, done.output
    assert "outside the weeks this service handles" in done.stderr
    assert not list(tmp_path.glob("report-*"))

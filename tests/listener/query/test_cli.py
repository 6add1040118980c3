"""``listener query`` and ``listener trends`` as a user runs them: in-process
through typer's runner (the machine is shared; spawning Python per call is
slow), plus one real subprocess."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from openpyxl import load_workbook

from tests.cli import Cli
from tests.listener.query.builders import post_key


def test_as_a_real_process(cli_config: Path, cli: Cli) -> None:
    done = cli.process("-c", cli_config, "query", "-q", "library", "-f", "json", timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["total"] == 1


def test_query_csv_filters(cli_config: Path, cli: Cli) -> None:
    done = cli("-c", cli_config, "query", "-t", "roads_potholes", "-s", "negative",
                    "--week", "2026-W47", "-f", "csv")
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert [post_key(r["platform"], r["text"]) for r in rows] == ["reddit/8", "x/7", "x/1"]
    assert [r["url"] for r in rows] == ["", "https://x.com/i/status/7",
                                        "https://x.com/i/status/1"]  # no handle in a link
    assert {r["sentiment"] for r in rows} == {"negative"}


def test_query_xlsx_and_table(cli_config: Path, tmp_path: Path, cli: Cli) -> None:
    out = tmp_path / "posts.xlsx"
    done = cli("-c", cli_config, "query", "-q", "pothole", "-f", "xlsx", "-o", str(out))
    assert done.returncode == 0, done.stderr
    sheet = load_workbook(out).active
    assert sheet is not None and sheet.max_row == 1 + 7
    table = cli("-c", cli_config, "query", "-q", "library")
    assert "Library opening hours" in table.stdout and "1 of 1 matching" in table.stderr


def test_plain_errors_and_exit_codes(cli_config: Path, cli: Cli) -> None:
    bad = cli("-c", cli_config, "query", "-q", "pothole AND (", "--advanced")
    assert bad.returncode == 2 and "could not be understood" in bad.stderr
    assert "Traceback" not in bad.stderr
    unknown = cli("-c", cli_config, "query", "-t", "nope")
    assert unknown.returncode == 2 and "known topics" in unknown.stderr
    wrong = cli("-c", cli_config, "query", "-s", "angry")
    assert wrong.returncode == 2  # the value is refused, not the option:
    assert wrong.stderr == "sentiment must be negative, neutral or positive\n"
    hostile = cli("-c", cli_config, "query", "-q", '"; DROP TABLE posts; -- (')
    assert hostile.returncode == 0 and "0 of 0 matching" in hostile.stderr


def test_trends_prints_weeks_and_counts(cli_config: Path, cli: Cli) -> None:
    done = cli("-c", cli_config, "trends", "roads_potholes", "--weeks", "3",
                    "--to-week", "2026-W48")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("Roads and potholes: 3 weeks to 2026-W48")
    weeks = {line.split()[0]: line.split()[1] for line in lines if line.startswith("2026-W")}
    assert weeks == {"2026-W46": "0", "2026-W47": "5", "2026-W48": "1"}
    assert lines[-1].startswith("Roads and potholes: 2026-W48 against 2026-W47: 1 post against "
                                "5; too few posts to compare")


def test_query_by_place(cli_config: Path, cli: Cli) -> None:
    done = cli("-c", cli_config, "query", "--place", "Mill Lane", "-f", "csv")
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert [post_key(r["platform"], r["text"]) for r in rows] == ["x/1"]

"""Input at the edges of what the query tools accept (issue 16: "NEAR(a, b)
... gives a traceback in the CLI and a 500 on the page", "Dates like
9999-12-31, 9999-W52 and 0001-W01 give an OverflowError"): each becomes a
plain message and exit code 2 (the page: tests/listener/web/test_page_input.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli import Cli

NEAR = ["NEAR(pothole, lane)", "NEAR(pothole lane, x)", "NEAR(pothole lane, 5x)"]


@pytest.mark.parametrize("expression", NEAR)
def test_a_malformed_near_is_a_plain_message_on_the_command_line(
        cli_config: Path, cli: Cli, expression: str) -> None:
    done = cli("-c", cli_config, "query", "-q", expression, "--advanced")
    assert done.returncode == 2, done.output
    assert "NEAR" in done.stderr and "Traceback" not in done.output
    trend = cli("-c", cli_config, "trends", "roads_potholes", "-q", expression, "--advanced")
    assert trend.returncode == 2 and "NEAR" in trend.stderr


@pytest.mark.parametrize("args", [
    ["query", "--until", "9999-12-31"], ["query", "--since", "9999-12-31"],
    ["query", "--since", "0001-01-01", "--until", "0001-01-02"],
    ["query", "--week", "9999-W52"], ["query", "--week", "0001-W01"],
    ["trends", "roads_potholes", "--to-week", "9999-W52"],
    ["trends", "roads_potholes", "--to-week", "0001-W01"],
    ["trends", "roads_potholes", "--to-week", "0001-W12"],
])
def test_dates_at_the_ends_of_the_calendar_are_plain_messages(
        cli_config: Path, cli: Cli, args: list[str]) -> None:
    done = cli("-c", cli_config, *args)
    assert done.returncode == 2, done.output
    assert "Traceback" not in done.output and "Overflow" not in done.output
    assert "between" in done.stderr or "outside" in done.stderr

""""Waiting for an answer" as CSV and as a terminal table holds posts'
text: the CSV goes through the project's one formula-safe writer and the
table escapes control characters, as every other export does (issue 16,
"Formula cells elsewhere" and "control characters")."""

from __future__ import annotations

import csv
import io

import pytest

from listener.engagement.unanswered import render
from nlp.formula_guard import unguard
from reports.engaged import Waiting

EVIL = [" =HYPERLINK(\"https://evil.example\",\"x\")", "\uff1dcmd|' /C calc'!A0",
        "-2+3 pothole", "'quoted"]


def waiting(text: str) -> Waiting:
    return Waiting("x", "2026-11-20 09:00", 30.0, ("question",), ("Roads",), text, None)


@pytest.mark.parametrize("text", EVIL)
def test_unanswered_csv_cells_cannot_run_as_formulas(text: str) -> None:
    rows = list(csv.reader(io.StringIO(render([waiting(text)], "csv"))))
    cell = rows[1][rows[0].index("text")]
    assert cell == "'" + text and unguard(cell) == text


def test_unanswered_table_escapes_control_characters() -> None:
    shown = render([waiting("pothole \x1b]8;;https://evil.example\x07click\x1b]8;;\x07 \x1b[2J")],
                   "table")
    assert not any(ch in shown for ch in "\x1b\x07")
    assert "\\x1b" in shown and "pothole" in shown

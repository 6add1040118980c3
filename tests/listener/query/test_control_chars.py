"""Control characters in post text cannot break a spreadsheet or a terminal
(issue 16: "`query -f xlsx` crashes on control characters ... The table
output sends raw ESC/OSC/BEL bytes to the terminal")."""

from __future__ import annotations

import io
import unicodedata

from openpyxl import load_workbook

from listener.query import export
from listener.query.service import ShownPost

HOSTILE = ("bins \x1b]0;owned\x07 late \x1b[31mRED\x1b[0m \x00nul \x08\x7f"
           " \u009b2J \u202eevil\u202c and\r\nmore\tend")


def post(text: str) -> ShownPost:
    return ShownPost(created="2026-11-17 09:00", week="2026-W47", platform="x",
                     topics="Bin collections", sentiment="negative", author="",
                     text=text, url="https://x.com/i/status/1")


def test_xlsx_holds_the_text_without_control_characters() -> None:
    sheet = load_workbook(io.BytesIO(export.to_xlsx([post(HOSTILE)]))).active
    assert sheet is not None
    cell = sheet.cell(row=2, column=7).value
    assert isinstance(cell, str) and cell.startswith("bins ") and "RED" in cell
    assert not [ch for ch in cell if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r"]


def test_table_output_escapes_control_characters() -> None:
    table = export.to_table([post(HOSTILE)], width=400)
    line = table.splitlines()[1]
    assert not [ch for ch in table if unicodedata.category(ch) == "Cc" and ch != "\n"]
    assert "\u202e" not in table
    assert "\\x1b]0;owned\\x07" in line and "\\x1b[31mRED" in line

"""Shown rows written as CSV, JSON, XLSX or a terminal table: the same
columns everywhere.

CSV goes through the project's one formula-safe writer
(``reports.csvfile``: a cell a spreadsheet would run as a formula gets a
leading apostrophe). XLSX cells are stored as text, never formulas, with the
control characters a worksheet cannot hold removed. The terminal table shows
control characters (ESC, BEL, OSC sequences...) and direction overrides as
visible escapes, so a post cannot drive the terminal.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Sequence

from listener.query.service import COLUMNS, ShownPost
from reports.csvfile import csv_text

FORMATS = ("table", "csv", "json", "xlsx")
# C0 and C1 controls except tab, line feed and carriage return: XLSX cannot hold them
_SHEET_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# every control character, and the bidirectional overrides that reorder a line
_TERMINAL_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def to_csv(posts: Sequence[ShownPost]) -> str:
    return csv_text(COLUMNS, [list(post.as_dict().values()) for post in posts])


def sheet_text(value: str) -> str:
    """``value`` without the control characters a worksheet cannot hold."""
    return _SHEET_ILLEGAL.sub("", value)


def terminal_text(value: str) -> str:
    """``value`` on one line, with control characters as visible escapes."""
    value = re.sub(r"[\t\r\n]", " ", value)

    def escape(match: re.Match[str]) -> str:
        code = ord(match[0])
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    return _TERMINAL_UNSAFE.sub(escape, value)


def to_json(posts: Sequence[ShownPost], total: int | None = None) -> str:
    body: dict[str, object] = {"rows": [p.as_dict() for p in posts]}
    if total is not None:
        body["total"] = total
    return json.dumps(body, ensure_ascii=False, indent=2)


def to_xlsx(posts: Sequence[ShownPost]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell.cell import Cell

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "posts"
    sheet.append(list(COLUMNS))
    for row_number, post in enumerate(posts, start=2):
        for col_number, value in enumerate(post.as_dict().values(), start=1):
            cell: Cell = sheet.cell(row=row_number, column=col_number)
            cell.value = sheet_text(value)
            cell.data_type = "s"  # text, never a formula
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def to_table(posts: Sequence[ShownPost], width: int = 60) -> str:
    """A plain text table for the terminal (text shortened to ``width``)."""
    head = ("created", "platform", "sentiment", "topics", "text")
    rows = [head] + [
        (p.created, p.platform, p.sentiment, terminal_text(p.topics)[:30],
         _shorten(terminal_text(p.text), width))
        for p in posts
    ]
    widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
    return "\n".join("  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)).rstrip()
                     for r in rows)


def _shorten(text: str, width: int) -> str:
    return text[:width] + ("…" if len(text) > width else "")

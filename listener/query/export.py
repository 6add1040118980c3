"""Shown rows written as CSV, JSON or XLSX: the same columns everywhere.

Cells that a spreadsheet would run as a formula (starting with = + - @ or a
tab / carriage return) get a leading apostrophe in CSV, and are stored as
plain text in XLSX, so a hostile post cannot execute in Excel. A cell that
starts with an apostrophe gets a second one (a spreadsheet hides the first),
so ``unguard_cell`` reads every cell back exactly.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence

from listener.query.service import COLUMNS, ShownPost

FORMATS = ("table", "csv", "json", "xlsx")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: str) -> str:
    """``value`` with a leading apostrophe when a spreadsheet would run it
    (or would hide its own leading apostrophe)."""
    return "'" + value if value.startswith((*_FORMULA_START, "'")) else value


def unguard_cell(value: str) -> str:
    """A cell written by ``safe_cell``, read back as it was before the guard."""
    guarded = value.startswith("'") and value[1:].startswith((*_FORMULA_START, "'"))
    return value[1:] if guarded else value


def to_csv(posts: Sequence[ShownPost]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for post in posts:
        writer.writerow([safe_cell(v) for v in post.as_dict().values()])
    return out.getvalue()


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
            cell.value = value
            cell.data_type = "s"  # text, never a formula
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def to_table(posts: Sequence[ShownPost], width: int = 60) -> str:
    """A plain text table for the terminal (text shortened to ``width``)."""
    head = ("created", "platform", "sentiment", "topics", "text")
    rows = [head] + [
        (p.created, p.platform, p.sentiment, p.topics[:30],
         p.text.replace("\n", " ")[:width] + ("…" if len(p.text) > width else ""))
        for p in posts
    ]
    widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
    return "\n".join("  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)).rstrip()
                     for r in rows)

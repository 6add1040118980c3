"""The one CSV writer for every CSV the project writes: report tables, query
exports (CLI and web page), the label export, the audit's labelling file and
any later export.

Every cell goes through ``nlp.formula_guard.guard`` (a cell a spreadsheet
would run as a formula gets a leading apostrophe; ``unguard`` takes it off
when a labelled file is read back), and a file is written atomically
(``reports.files.atomic_write``).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from pathlib import Path

from nlp.formula_guard import guard
from reports.files import atomic_write

Cell = str | int | float | None


def _cell(value: Cell) -> str:
    if value is None:
        return ""
    return guard(value) if isinstance(value, str) else str(value)


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> str:
    """The CSV text (RFC 4180 line ends) of ``header`` and ``rows``, guarded."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([_cell(c) for c in header])
    writer.writerows([_cell(c) for c in row] for row in rows)
    return out.getvalue()


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[Cell]], *,
              bom: bool = False) -> Path:
    """Write ``csv_text(header, rows)`` to ``path`` atomically, in UTF-8;
    with ``bom`` a byte-order mark first (a spreadsheet staff open by
    double-clicking then reads it as UTF-8)."""
    return atomic_write(path, ("\ufeff" if bom else "") + csv_text(header, rows))

"""The audit as a CSV for staff to label in a spreadsheet, and reading it back.

One row per audited post: ``audit``, ``item`` (which post of the audit),
``platform``, ``created_at``, ``text``, then the columns staff fill in:
``sentiment`` (negative, neutral or positive), ``topics`` (topic keys or
names separated by ``;``, or ``none``), optionally ``labeller`` and
``notes``. No author column, and no predicted label: staff judge each post
without seeing what the classifier said.

The file is written by the project's one CSV writer (``reports.csvfile``:
atomically, with a byte-order mark for spreadsheets): cells a spreadsheet
would run as a formula get a leading apostrophe (``nlp.formula_guard``) and
are read back without it.
Reading checks every row before anything is stored: each problem is given
with the file, line and column, and one bad row stores nothing.
"""

from __future__ import annotations

import csv
import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from nlp.estimate import NONE
from nlp.formula_guard import unguard
from reports.csvfile import Cell
from reports.csvfile import write_csv as write_rows
from storage import SENTIMENTS
from storage.audit_records import ItemToLabel, Labels

COLUMNS = ("audit", "item", "platform", "created_at", "text", "sentiment", "topics",
           "labeller", "notes")
REQUIRED = ("audit", "item", "sentiment", "topics")
NO_TOPIC = (NONE, "(none)", "no topic")


class AuditFileError(ValueError):
    """A labelled file that cannot be loaded; ``problems`` says where and why."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class GoldRow:
    line: int
    audit_id: int
    position: int
    gold: dict[str, Labels]  # task -> labels; a task left blank is absent
    labeller: str | None


def write_csv(path: Path, items: Iterable[ItemToLabel]) -> int:
    """Write the rows (atomically); returns how many."""
    rows: list[list[Cell]] = [[item.audit_id, item.position, item.platform, item.created_at,
                               item.text, "", "", "", ""] for item in items]
    write_rows(path, COLUMNS, rows, bom=True)
    return len(rows)


def _hint(value: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(value, choices, n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else f" (one of: {', '.join(choices)})"


def _topics(cell: str, topics: Mapping[str, str]) -> tuple[Labels, list[str]]:
    """Topic keys or names separated by ';' (or by ',' where that reads no
    name: names may hold commas), or 'none'."""
    by_name = {**{label.lower(): slug for slug, label in topics.items()},
               **{slug.lower(): slug for slug in topics}}
    parts = [p.strip() for p in cell.split(";") if p.strip()]
    if len(parts) == 1 and parts[0].lower() in NO_TOPIC:
        return (), []
    words: list[str] = []
    for part in parts:
        words += [part] if part.lower() in by_name else [
            w.strip() for w in part.split(",") if w.strip()]
    bad = [w for w in words if w.lower() not in by_name]
    found = tuple(dict.fromkeys(by_name[w.lower()] for w in words if w.lower() in by_name))
    return found, [f"'{w}' is not a topic{_hint(w, [*topics, NONE])}" for w in bad]


def read_csv(path: Path, topics: Mapping[str, str]) -> tuple[list[GoldRow], int]:
    """The labelled rows of ``path`` and how many were left blank (skipped);
    ``topics`` maps each configured topic key to its name."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise AuditFileError([f"{path}: not UTF-8 text: save it as 'CSV UTF-8'"]) from None
    reader = csv.DictReader(text.splitlines(keepends=True))
    missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
    if missing:
        raise AuditFileError([f"{path}, line 1: missing column(s) {', '.join(missing)}"
                              f" (the file needs {', '.join(REQUIRED)})"])
    rows: list[GoldRow] = []
    problems: list[str] = []
    blank = 0
    line = reader.line_num + 1  # where the next row starts (a text cell may span lines)
    for raw in reader:
        start, line = line, reader.line_num + 1
        cell = {k: unguard((v or "").strip()) for k, v in raw.items() if k}
        where = f"{path}, line {start}"
        gold: dict[str, Labels] = {}
        sentiment = cell.get("sentiment", "").lower()
        if sentiment in SENTIMENTS:
            gold["sentiment"] = (sentiment,)
        elif sentiment:
            problems.append(f"{where}, column 'sentiment': '{cell['sentiment']}' is not a "
                            f"sentiment{_hint(sentiment, list(SENTIMENTS))}")
        if cell.get("topics"):
            found, bad = _topics(cell["topics"], topics)
            problems += [f"{where}, column 'topics': {b}" for b in bad]
            gold["topic"] = found
        try:
            audit_id, position = int(cell.get("audit", "")), int(cell.get("item", ""))
        except ValueError:
            problems.append(f"{where}: 'audit' and 'item' must be the numbers written there")
            continue
        if gold:
            rows.append(GoldRow(start, audit_id, position, gold, cell.get("labeller") or None))
        else:
            blank += 1
    if problems:
        raise AuditFileError(problems)
    return rows, blank

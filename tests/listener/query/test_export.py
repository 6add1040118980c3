"""CSV, JSON and XLSX carry the shown columns only, safely for spreadsheets."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path

from openpyxl import load_workbook

from listener.config import load_settings
from listener.query import export
from listener.query.filters import QueryFilters
from listener.query.service import COLUMNS, QueryContext, run_query
from tests.listener.query.builders import PSEUDONYM_MARK, QUARANTINE_MARK, RAW_MARK

MARKS = (PSEUDONYM_MARK, RAW_MARK, QUARANTINE_MARK, "author_key", "@bob_smith")


def all_posts(query_db: Path, query_config: Path) -> list[export.ShownPost]:
    ctx = QueryContext.from_settings(load_settings(query_config, check_credentials=False))
    conn = sqlite3.connect(f"file:{query_db}?mode=ro", uri=True)
    return run_query(conn, ctx, QueryFilters()).posts


def test_csv_rows_and_formula_safety(query_db: Path, query_config: Path) -> None:
    posts = all_posts(query_db, query_config)
    text = export.to_csv(posts)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert tuple(rows[0]) == COLUMNS and len(rows) == len(posts) == 9
    assert [r["url"] for r in rows] == [p.url for p in posts]
    formula = next(r for r in rows if "HYPERLINK" in r["text"])
    assert formula["text"].startswith("'=")
    assert not any(mark in text for mark in MARKS)


def test_json_has_rows_and_total(query_db: Path, query_config: Path) -> None:
    posts = all_posts(query_db, query_config)
    body = json.loads(export.to_json(posts, total=9))
    assert body["total"] == 9 and list(body["rows"][0]) == list(COLUMNS)
    assert not any(mark in json.dumps(body) for mark in MARKS)


def test_xlsx_is_text_only(query_db: Path, query_config: Path) -> None:
    posts = all_posts(query_db, query_config)
    sheet = load_workbook(io.BytesIO(export.to_xlsx(posts))).active
    assert sheet is not None
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert tuple(values[0]) == COLUMNS and len(values) == 10
    formula_cell = next(c for row in sheet.iter_rows() for c in row
                        if isinstance(c.value, str) and "HYPERLINK" in c.value)
    assert formula_cell.data_type == "s" and formula_cell.value.startswith("=HYPERLINK")
    assert not any(mark in str(values) for mark in MARKS)

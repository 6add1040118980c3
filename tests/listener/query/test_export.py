"""CSV, JSON and XLSX carry the shown columns only, safely for spreadsheets."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from openpyxl import load_workbook

from listener.config import load_settings
from listener.query import export
from listener.query.filters import QueryFilters
from listener.query.service import COLUMNS, QueryContext, QueryResult, run_query
from storage import Store
from tests.listener.query.builders import POSTS, PSEUDONYM_MARK, QUARANTINE_MARK, RAW_MARK

MARKS = (PSEUDONYM_MARK, RAW_MARK, QUARANTINE_MARK, "author_key", "@bob_smith")


def query(store: Store, query_config: Path, limit: int | None = None) -> QueryResult:
    ctx = QueryContext.from_settings(load_settings(query_config, check_credentials=False))
    return run_query(store, ctx, QueryFilters(), limit=limit)


def all_posts(store: Store, query_config: Path) -> list[export.ShownPost]:
    return query(store, query_config).posts


def test_csv_rows_and_formula_safety(query_store: Store, query_config: Path) -> None:
    posts = all_posts(query_store, query_config)
    text = export.to_csv(posts)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert tuple(rows[0]) == COLUMNS and len(rows) == len(posts) == 9
    assert [r["url"] for r in rows] == [p.url for p in posts]
    formula = next(r for r in rows if "HYPERLINK" in r["text"])
    assert formula["text"].startswith("'=")
    assert not any(mark in text for mark in MARKS)


def test_json_has_the_rows_shown_and_the_total_matched(query_store: Store,
                                                       query_config: Path) -> None:
    first_two = query(query_store, query_config, limit=2)  # a page of a longer result
    body = json.loads(export.to_json(first_two.posts, first_two.total))
    assert body["total"] == len(POSTS) and len(body["rows"]) == 2
    assert [r["url"] for r in body["rows"]] == [p.url for p in first_two.posts]
    assert list(body["rows"][0]) == list(COLUMNS)
    assert not any(mark in json.dumps(body) for mark in MARKS)
    assert "total" not in json.loads(export.to_json(first_two.posts))


def test_xlsx_is_text_only(query_store: Store, query_config: Path) -> None:
    posts = all_posts(query_store, query_config)
    sheet = load_workbook(io.BytesIO(export.to_xlsx(posts))).active
    assert sheet is not None
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert tuple(values[0]) == COLUMNS and len(values) == 10
    formula_cell = next(c for row in sheet.iter_rows() for c in row
                        if isinstance(c.value, str) and "HYPERLINK" in c.value)
    assert formula_cell.data_type == "s" and formula_cell.value.startswith("=HYPERLINK")
    assert not any(mark in str(values) for mark in MARKS)

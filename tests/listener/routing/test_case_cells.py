"""``listener export cases --format csv`` holds posts' text and matched
terms: it goes through the project's one formula-safe CSV writer, as every
CSV the project writes (issue 16, "Formula cells elsewhere")."""

from __future__ import annotations

import csv
import io

import pytest

from listener.config import Settings
from listener.routing.cases import render
from listener.routing.posts import CasePost
from nlp.formula_guard import unguard

EVIL = ['=HYPERLINK("https://evil.example","details")', " +1+cmd|' /C calc'!A0",
        "@SUM(1+1)*cmd", "\uff1d1+1"]


@pytest.mark.parametrize("text", EVIL)
def test_case_csv_cells_cannot_run_as_formulas(settings: Settings, text: str) -> None:
    post = CasePost(7, "2026-11-24T18:30:00+00:00", "x", None, text, ("roads_potholes",),
                    ("Roads and potholes",), (text,), (), "negative", None)
    out = render(settings, settings.routing.teams[1], [post], "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows[0]["text"] == "'" + text and unguard(rows[0]["text"]) == text
    assert rows[0]["matched_terms"].startswith("'")
    assert rows[0]["case_id"] == "listener-7"

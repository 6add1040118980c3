from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from reports import NoDataError, write_report
from storage import Store
from tests.reports.conftest import CONTEXT, LABELS, NOW


def test_html_names_topics_with_counts(known: Store, settings, tmp_path: Path) -> None:
    paths = write_report(known, None, settings=settings, topic_labels=LABELS, formats=["html"],
                         out_dir=tmp_path, context=CONTEXT, now=NOW)
    assert paths == [tmp_path / "report-2026-W47.html"]
    html = paths[0].read_text(encoding="utf-8")
    assert "Bin collections" in html and "Roads and potholes" in html and "Parks" in html
    assert "<td class=\"num\">20</td>" in html
    assert "60%" in html  # bins negative share 12/20
    (headline,) = re.findall(r'<ul class="headline">(.*?)</ul>', html, flags=re.S)
    lines = re.findall(r"<li>(.*?)</li>", headline)
    assert [line.split(" ")[0] for line in lines] == [
        "Posts", "Unique", "Negative", "Neutral", "Positive"]
    # last week had 2 negative posts of 10: under 10, so no share to rise from
    negative = lines[2]
    assert "rose" not in negative and "(last week: fewer than 10 posts)" in negative
    assert negative.startswith("Negative share: 61% (95% interval 42–76%)")  # 17 of 28 labelled


def test_every_format(known: Store, settings, tmp_path: Path) -> None:
    paths = write_report(known, "2026-W47", settings=settings, topic_labels=LABELS,
                         formats=["html", "md", "csv", "json"], out_dir=tmp_path,
                         context=CONTEXT, now=NOW)
    names = {p.name for p in paths}
    assert {"report-2026-W47.html", "report-2026-W47.md", "report-2026-W47.json",
            "report-2026-W47-topics.csv"} <= names


def test_no_data(store: Store, settings, tmp_path: Path) -> None:
    with pytest.raises(NoDataError):
        write_report(store, None, settings=settings, topic_labels=LABELS, formats=["html"],
                     out_dir=tmp_path, context=CONTEXT, now=NOW)


def test_unknown_format(known: Store, settings, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="docx"):
        write_report(known, "2026-W47", settings=settings, topic_labels=LABELS,
                     formats=["docx"], out_dir=tmp_path, context=CONTEXT, now=NOW)


def test_pdf_degrades_without_weasyprint(known: Store, settings, tmp_path: Path,
                                         monkeypatch, caplog) -> None:
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # as if the extra is not installed
    paths = write_report(known, "2026-W47", settings=settings, topic_labels=LABELS,
                         formats=["html", "pdf", "md", "csv"], out_dir=tmp_path,
                         context=CONTEXT, now=NOW)
    suffixes = {p.suffix for p in paths}
    assert suffixes == {".html", ".md", ".csv"}
    assert not (tmp_path / "report-2026-W47.pdf").exists()
    assert "PDF not written: WeasyPrint is not installed" in caplog.text

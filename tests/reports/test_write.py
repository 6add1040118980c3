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
    assert '<td data-label="Posts" class="num">20</td>' in html
    assert "60%" in html  # bins negative share 12/20
    (brief,) = re.findall(r'<div class="narrative">(.*?)</div>', html, flags=re.S)
    sentences = re.findall(r"<p>(.*?)</p>", brief)
    assert sentences[0] == ("The week was dominated by Bin collections: posts rose from 10 to 20, "
                            "and 60% were negative.")
    # last week had 2 negative posts of 10: under 10, so no share to compare
    assert sentences[1] == "Posts overall rose from 10 to 30."


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

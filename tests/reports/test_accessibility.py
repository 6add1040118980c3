"""WCAG 2.2 AA: colour contrast of the report's palette, headings, chart
alternatives."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

from reports import ReportSettings, write_report
from reports.charts import BAR, GRID, INK, MARK
from storage import Store
from tests.paths import ROOT
from tests.reports.conftest import CONTEXT, LABELS, NOW

TEMPLATE = ROOT / "reports" / "templates" / "report.html.j2"


def luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_contrast_formula() -> None:
    assert round(contrast("#000000", "#ffffff"), 1) == 21.0
    assert round(contrast("#767676", "#ffffff"), 2) == 4.54


def test_text_colours_meet_aa_on_both_backgrounds() -> None:
    css = dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})", TEMPLATE.read_text()))
    for background in ("#ffffff", css["bg-soft"]):
        for name in ("ink", "muted", "accent", "neg", "neu", "pos", "mark"):
            assert contrast(css[name], background) >= 4.5, (name, background)
        assert contrast(css["line"], background) >= 3.0  # rules and borders: graphics


def test_chart_colours_meet_aa() -> None:
    for colour in (INK, MARK):  # text in charts
        assert contrast(colour, "#ffffff") >= 4.5
    for colour in (BAR, GRID):  # graphics: 3:1
        assert contrast(colour, "#ffffff") >= 3.0


def test_structure(known: Store, tmp_path: Path) -> None:
    html = write_report(known, "2026-W47", settings=ReportSettings(), topic_labels=LABELS,
                        formats=["html"], out_dir=tmp_path, context=CONTEXT,
                        now=NOW)[0].read_text(encoding="utf-8")
    assert '<html lang="en-GB">' in html
    assert html.count("<h1") == 1
    levels = [int(n) for n in re.findall(r"<h([1-6])", html)]
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels))  # no skipped level
    svgs = re.findall(r"<svg\b[^>]*>.*?</svg>", html, flags=re.S)
    assert svgs
    for svg in svgs:
        assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
    # every chart is followed by its data table
    for figure in re.finditer(r"<figure>.*?</figure>", html, flags=re.S):
        assert "<table" in html[figure.end():]
    assert all("<caption>" in t for t in re.findall(r"<table>.*?</table>", html, flags=re.S))

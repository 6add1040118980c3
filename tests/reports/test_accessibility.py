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
    """WCAG 2.2 relative luminance of ``#rrggbb``."""
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def render(store: Store, tmp_path: Path) -> str:
    return write_report(store, "2026-W47", settings=ReportSettings(), topic_labels=LABELS,
                        formats=["html"], out_dir=tmp_path, context=CONTEXT,
                        now=NOW)[0].read_text(encoding="utf-8")


def test_every_colour_the_charts_draw_meets_aa(known: Store, tmp_path: Path) -> None:
    """The colours in the rendered report's charts, whatever their source:
    text 4.5:1 and shapes 3:1 against the white chart background."""
    svgs = "".join(re.findall(r"<svg\b.*?</svg>", render(known, tmp_path), flags=re.S))
    texts = set(re.findall(r'<text\b[^>]*\bfill="(#[0-9a-fA-F]{6})"', svgs))
    shapes = {c for c in re.findall(r'<(?!text\b)\w+\b[^>]*\b(?:fill|stroke)="(#[0-9a-fA-F]{6})"',
                                    svgs) if c.lower() != "#ffffff"}
    assert texts and shapes  # the report draws both
    for colour in texts:
        assert contrast(colour, "#ffffff") >= 4.5, colour
    for colour in shapes:
        assert contrast(colour, "#ffffff") >= 3.0, colour


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
    html = render(known, tmp_path)
    assert '<html lang="en-GB">' in html
    assert html.count("<h1") == 1
    levels = [int(n) for n in re.findall(r"<h([1-6])", html)]
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels))  # no skipped level
    svgs = re.findall(r"<svg\b[^>]*>.*?</svg>", html, flags=re.S)
    assert svgs
    for svg in svgs:
        assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
    assert all("<caption>" in t for t in re.findall(r"<table\b[^>]*>.*?</table>", html, flags=re.S))


def test_every_chart_is_followed_by_its_own_data_table(known: Store, tmp_path: Path) -> None:
    """The next table after a chart, in the same section, holds that chart's
    figures: its caption is the chart's title, or (small multiples sharing a
    table) the chart's subject is one of its rows."""
    html = render(known, tmp_path)
    figures = list(re.finditer(r"<figure>.*?</figure>", html, flags=re.S))
    assert len(figures) >= 3  # days, platforms and the topic trends
    for figure in figures:
        title = re.search(r"<title[^>]*>(.*?)</title>", figure.group(0), flags=re.S)
        assert title is not None
        after = html[figure.end():]
        table = re.search(r"<table\b[^>]*>.*?</table>", after, flags=re.S)
        assert table is not None, title[1]
        assert not re.search(r"<h[1-6]", after[:table.start()]), f"{title[1]}: no table here"
        caption = re.search(r"<caption>(.*?)</caption>", table[0], flags=re.S)
        rows = re.findall(r'<th scope="row">(.*?)</th>', table[0])
        assert caption is not None and (caption[1] == title[1]
                                        or title[1].split(":")[0] in rows), title[1]


def test_bar_chart_draws_counts_as_the_suppression_rules_say() -> None:
    """A bar at its length from 10 up; an outline with words under 10 or from
    too few authors; nothing drawn for none (an outline would read as some)."""
    import re

    from reports.charts import bar_chart

    svg = str(bar_chart([("a", 0, True), ("b", 4, True), ("c", 12, False), ("d", 20, True)],
                        "t", "d"))
    assert len(re.findall(r'<rect [^>]*stroke-dasharray', svg)) == 2  # b and c, not a
    assert len(re.findall(r'<rect [^>]*fill="#1d4f91"', svg)) == 1  # d
    assert ">none<" in svg and ">fewer than 10<" in svg and ">suppressed<" in svg

"""Geometry of the weekly trend chart, drawn as inline SVG by the template
(no JavaScript, no external library; a data table sits beside it)."""

from __future__ import annotations

from dataclasses import dataclass

from listener.query.trends import TrendWeek
from storage import SENTIMENTS

COLOURS = dict(zip(SENTIMENTS, ("#b21f1f", "#8a8a8a", "#1d5fa6"), strict=True))
ORDER = SENTIMENTS


@dataclass(frozen=True)
class Segment:
    sentiment: str
    count: int
    x: float
    width: float
    colour: str


@dataclass(frozen=True)
class Bar:
    week: str
    total: int
    y: float
    height: float
    end: float  # where the bar stops: its total is written after it
    segments: list[Segment]
    partial: str = ""  # "so far", "from 3 Nov": drawn paler, labelled


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    left: int  # the week labels end here; the bars start here
    bars: list[Bar]
    peak: int


def chart(rows: list[TrendWeek], width: int = 480, row: int = 26) -> Chart:
    """One horizontal bar per week (oldest at the top), its sentiments side by
    side. Horizontal, so the labels keep their size: drawn 480 wide, the chart
    shrinks to about 3/4 on a 390 px phone and its 16 px text stays above 12 px
    (a week per column made them 5 px)."""
    left, right = 64, 64  # "W47" before each bar; "1,234*" after it
    plot = width - left - right
    peak = max((r.total for r in rows), default=0)
    bars = []
    for i, r in enumerate(rows):
        x = float(left)
        segments = []
        for sentiment in ORDER:
            count = r.shares[sentiment].count
            w = plot * count / peak if peak else 0.0
            segments.append(Segment(sentiment, count, round(x, 1), round(w, 1),
                                    COLOURS[sentiment]))
            x += w
        bars.append(Bar(r.week, r.total, 4 + i * row, row - 6, round(x, 1), segments, r.partial))
    return Chart(width, row * len(rows) + 8, left, bars, peak)

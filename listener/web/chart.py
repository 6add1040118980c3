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
    y: float
    height: float
    colour: str


@dataclass(frozen=True)
class Bar:
    week: str
    total: int
    x: float
    width: float
    segments: list[Segment]
    partial: str = ""  # "so far", "from 3 Nov": drawn paler, labelled


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    top: int
    bars: list[Bar]
    peak: int


def chart(rows: list[TrendWeek], width: int = 720, height: int = 220) -> Chart:
    plot = height - 40  # room for week labels below
    peak = max((r.total for r in rows), default=0)
    slot = width / max(1, len(rows))
    bars = []
    for i, row in enumerate(rows):
        y = float(plot)
        segments = []
        for sentiment in ORDER:
            count = row.shares[sentiment].count
            h = plot * count / peak if peak else 0.0
            y -= h
            segments.append(Segment(sentiment, count, round(y, 1), round(h, 1),
                                    COLOURS[sentiment]))
        bars.append(Bar(row.week, row.total, round(i * slot + slot * 0.15, 1),
                        round(slot * 0.7, 1), segments, row.partial))
    return Chart(width, height, plot, bars, peak)

"""Inline SVG charts: no scripts, no external requests, a title and a
description on every chart (the page puts the data table beside it)."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import count

from markupsafe import Markup, escape

from reports.stats import MIN_COUNT

INK = "#1b1b1b"
BAR = "#1d4f91"
GRID = "#767676"  # 4.5:1 on white
MARK = "#8a4b00"
LABEL_BESIDE = 12  # characters that fit in the margin beside a bar at 13 px
ACTION = "#1e6b34"  # 6.5:1 on white
_ids = count(1)


def _svg(width: int, height: int, title: str, desc: str, body: str) -> Markup:
    n = next(_ids)
    return Markup(  # noqa: S704 - every text part below is escaped
        f'<svg role="img" viewBox="0 0 {width} {height}"'
        f' width="100%" preserveAspectRatio="xMinYMin meet"'
        f' aria-labelledby="chart{n}-t chart{n}-d">'
        f'<title id="chart{n}-t">{escape(title)}</title>'
        f'<desc id="chart{n}-d">{escape(desc)}</desc>{body}</svg>'
    )


def _end_labels(labels: Sequence[str], left: float, step: float, y: float) -> list[str]:
    """The first and last labels under a weekly chart's x axis."""
    out = []
    for k in sorted({0, len(labels) - 1}):
        if 0 <= k < len(labels):
            anchor = "start" if k == 0 else "end"
            out.append(f'<text x="{left + k * step:.1f}" y="{y}" font-size="11"'
                       f' text-anchor="{anchor}" fill="{INK}">{escape(labels[k])}</text>')
    return out


def bar_chart(items: Sequence[tuple[str, int, bool]], title: str, desc: str) -> Markup:
    """Horizontal bars of (label, value, authors ok); a value under 10, or
    from fewer than 10 authors, is drawn as an outline with a word, never
    at its length. Labels too long for the margin beside the bars ("4 hours
    to 1 working day") go on their own line above each bar, so none is cut
    off and the chart keeps its size (legible on a phone)."""
    above = max((len(label) for label, _, _ in items), default=0) > LABEL_BESIDE
    width, right = 380, 92  # drawn near life size on a phone
    row, left, bar_y, text_y = (44, 4, 22, 35) if above else (26, 100, 4, 17)
    height = row * len(items) + 8
    top = max((v for _, v, good in items if good), default=0) or 1
    scale = (width - left - right) / top
    parts = []
    for k, (label, value, good) in enumerate(items):
        y = 4 + k * row
        if above:
            parts.append(f'<text x="{left}" y="{y + 14}" fill="{INK}"'
                         f' font-size="13">{escape(label)}</text>')
        else:
            parts.append(f'<text x="{left - 8}" y="{y + text_y}" text-anchor="end" fill="{INK}"'
                         f' font-size="13">{escape(label)}</text>')
        if value == 0:  # nothing to draw: an outline would read as "some"
            shown, end = "none", float(left)
        elif value < MIN_COUNT or not good:
            parts.append(f'<rect x="{left}" y="{y + bar_y}" width="{max(MIN_COUNT * scale, 4):.1f}"'
                         f' height="18" fill="none" stroke="{GRID}"'
                         ' stroke-dasharray="3 2"/>')
            shown = "fewer than 10" if value < MIN_COUNT else "suppressed"
            end = left + max(MIN_COUNT * scale, 4)
        else:
            parts.append(f'<rect x="{left}" y="{y + bar_y}" width="{value * scale:.1f}"'
                         f' height="18" fill="{BAR}"/>')
            shown, end = f"{value:,}", left + value * scale
        parts.append(f'<text x="{end + 6:.1f}" y="{y + text_y}" fill="{INK}" font-size="13">'
                     f'{escape(shown)}</text>')
    return _svg(width, height, title, desc, "".join(parts))


def line_chart(labels: Sequence[str], values: Sequence[int], title: str, desc: str,
               markers: Sequence[str] = (), actions: Sequence[str] = ()) -> Markup:
    """A weekly trend; dashed vertical lines mark weeks with a config change,
    solid ones weeks with an action in the action log. Values under 10 are
    drawn as hollow points on the baseline."""
    width, height, left, bottom, top_pad = 320, 150, 44, 30, 12
    plot_w, plot_h = width - left - 12, height - bottom - top_pad
    peak = max(max(values, default=0), MIN_COUNT)
    step = plot_w / max(len(values) - 1, 1)

    def xy(k: int, v: int) -> tuple[float, float]:
        shown = v if v >= MIN_COUNT else 0
        return left + k * step, top_pad + plot_h - shown / peak * plot_h

    parts = [
        f'<line x1="{left}" y1="{top_pad + plot_h}" x2="{width - 12}" y2="{top_pad + plot_h}"'
        f' stroke="{GRID}"/>',
        f'<text x="{left - 4}" y="{top_pad + 4}" text-anchor="end" font-size="11"'
        f' fill="{INK}">{peak:,}</text>',
        f'<text x="{left - 4}" y="{top_pad + plot_h}" text-anchor="end" font-size="11"'
        f' fill="{INK}">0</text>',
    ]
    for k, label in enumerate(labels):
        x = left + k * step
        if label in markers:
            # the label runs away from the nearer edge, so it is never cut off
            anchor, dx = ("end", -3) if x > left + plot_w / 2 else ("start", 3)
            parts.append(f'<line x1="{x:.1f}" y1="{top_pad}" x2="{x:.1f}"'
                         f' y2="{top_pad + plot_h}" stroke="{MARK}" stroke-dasharray="4 3"/>'
                         f'<text x="{x + dx:.1f}" y="{top_pad + 9}" font-size="10"'
                         f' text-anchor="{anchor}" fill="{MARK}">config changed</text>')
        if label in actions:
            # below the config label, also running away from the nearer edge
            anchor, dx = ("end", -3) if x > left + plot_w / 2 else ("start", 3)
            parts.append(f'<line x1="{x:.1f}" y1="{top_pad}" x2="{x:.1f}"'
                         f' y2="{top_pad + plot_h}" stroke="{ACTION}" stroke-width="2"/>'
                         f'<text x="{x + dx:.1f}" y="{top_pad + 20}" font-size="10"'
                         f' text-anchor="{anchor}" fill="{ACTION}">action</text>')
    points = " ".join(f"{x:.1f},{y:.1f}" for x, y in (xy(k, v) for k, v in enumerate(values)))
    parts.append(f'<polyline points="{points}" fill="none" stroke="{BAR}" stroke-width="2"/>')
    for k, v in enumerate(values):
        x, y = xy(k, v)
        fill = BAR if v >= MIN_COUNT else "#ffffff"
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{fill}" stroke="{BAR}"/>')
    parts += _end_labels(labels, left, step, height - 10)
    return _svg(width, height, title, desc, "".join(parts))


def share_chart(labels: Sequence[str], shares: Sequence[float | None],
                intervals: Sequence[tuple[float, float] | None], title: str,
                desc: str) -> Markup:
    """A weekly share (0..1) with its 95% interval as a vertical bar; a week
    whose share cannot be shown (under 10 posts, too few authors) is a gap."""
    width, height, left, bottom, top_pad = 360, 170, 44, 30, 12
    plot_w, plot_h = width - left - 14, height - bottom - top_pad
    shown = [hi for iv in intervals if iv for hi in iv[1:]] + [v for v in shares if v]
    peak = min(1.0, max(0.1, *(shown or [0.1])) + 0.05)
    step = plot_w / max(len(labels) - 1, 1)

    def y(v: float) -> float:
        return top_pad + plot_h - v / peak * plot_h

    parts = [
        f'<line x1="{left}" y1="{y(0):.1f}" x2="{width - 14}" y2="{y(0):.1f}" stroke="{GRID}"/>',
        f'<text x="{left - 4}" y="{top_pad + 4}" text-anchor="end" font-size="11"'
        f' fill="{INK}">{peak * 100:.0f}%</text>',
        f'<text x="{left - 4}" y="{y(0):.1f}" text-anchor="end" font-size="11"'
        f' fill="{INK}">0%</text>',
    ]
    run: list[str] = []
    for k, (value, interval) in enumerate(zip(shares, intervals, strict=True)):
        x = left + k * step
        if value is None:
            if len(run) > 1:
                parts.append(f'<polyline points="{" ".join(run)}" fill="none" stroke="{BAR}"'
                             ' stroke-width="2"/>')
            run = []
            continue
        run.append(f"{x:.1f},{y(value):.1f}")
        if interval is not None:
            parts.append(f'<line x1="{x:.1f}" y1="{y(interval[0]):.1f}" x2="{x:.1f}"'
                         f' y2="{y(interval[1]):.1f}" stroke="{GRID}"/>')
        parts.append(f'<circle cx="{x:.1f}" cy="{y(value):.1f}" r="3" fill="{BAR}"/>')
    if len(run) > 1:
        parts.append(f'<polyline points="{" ".join(run)}" fill="none" stroke="{BAR}"'
                     ' stroke-width="2"/>')
    parts += _end_labels(labels, left, step, height - 10)
    return _svg(width, height, title, desc, "".join(parts))

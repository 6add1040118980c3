"""Weeks over time: which weeks of the window collection was running in
(earlier weeks are not drawn as zeros), and the negative share per week
for the sentiment-over-time chart."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from nlp.estimate.accuracy import wilson
from nlp.unusual import running
from reports.figures import ShareWeek
from reports.stats import MIN_COUNT
from reports.weeks import Span
from storage.windows import Window


def first_live(totals: Sequence[int], wanted: int) -> int:
    """The first of the last ``wanted`` periods in which collection was
    running (the report period itself at the latest)."""
    live = running(totals)
    start = max(0, len(totals) - wanted)
    return next((w for w in range(start, len(totals)) if live[w]), len(totals) - 1)


def sentiment_weeks(win: Window, spans: Sequence[Span], first: int,
                    ok: Callable[..., bool]) -> list[ShareWeek]:
    """Negative share of the posts with a sentiment label, per week from
    ``first`` to the report week, with its Wilson interval where shown."""
    out = []
    for w in range(first, len(spans)):
        codes = win.summary(w).sentiment
        negative = codes.get(0, 0)
        classified = sum(codes.get(k, 0) for k in range(3))
        good = ok(negative, w, sentiment=0)
        shown = negative >= MIN_COUNT and classified >= MIN_COUNT and good
        out.append(ShareWeek(spans[w].label, classified, negative, good,
                             wilson(negative, classified) if shown else None))
    return out

"""The stated test for "unusual against its own past": one series' latest
count against the mean of its own trailing periods.

It is the test the weekly report's emerging issues and the daily alerts
state (``reports.stats`` and ``reports.emerging`` use it from here), and
the test bursting terms use, so one sentence describes all three. Pure
arithmetic: counts in, verdicts out.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from statistics import fmean, pstdev

EMERGING_Z = 3.0
MIN_BASELINE = 4  # fewest baseline periods (with collection running) to test at all
MIN_CURRENT = 10  # fewest posts to flag: the same 10 as the report's publication floor

EMERGING_TEST = (
    "An issue is flagged when its posts in the period exceed the mean of its own "
    "trailing {n} {unit} by more than {z:g} times the larger of the standard deviation, "
    "the square root of the mean (Poisson noise) and 1, with at least {m} posts. "
    "Baseline periods before collection started are left out; at least {b} are needed."
)


@dataclass(frozen=True)
class Unusual:
    """The test applied to one series."""

    current: int
    baseline_mean: float
    baseline_sd: float
    threshold: float
    weeks: int  # baseline periods used
    flagged: bool

    @property
    def ratio(self) -> float:
        return self.current / self.baseline_mean if self.baseline_mean > 0 else math.inf


def describe_test(n: int, unit: str) -> str:
    """The test in one sentence, for ``n`` trailing ``unit`` (weeks, days)."""
    return EMERGING_TEST.format(n=n, unit=unit, z=EMERGING_Z, m=MIN_CURRENT, b=MIN_BASELINE)


def unusual(current: int, baseline: Sequence[int], z: float = EMERGING_Z) -> Unusual:
    """Test ``current`` against ``baseline`` (the trailing periods in which
    collection was running)."""
    if len(baseline) < MIN_BASELINE:
        return Unusual(current, 0.0, 0.0, math.inf, len(baseline), False)
    mean = fmean(baseline)
    sd = pstdev(baseline)
    threshold = mean + z * max(sd, math.sqrt(mean), 1.0)
    return Unusual(current, mean, sd, threshold, len(baseline),
                   current >= MIN_CURRENT and current > threshold)


def running(totals: Sequence[int]) -> list[bool]:
    """Whether collection was running in each period: from the first period
    with any post on (earlier empty periods are before collection started)."""
    seen = False
    out = []
    for n in totals:
        seen = seen or n > 0
        out.append(seen)
    return out


def flags(series: Mapping[str, Sequence[int]], totals: Sequence[int],
          baseline_periods: int) -> list[tuple[str, Unusual]]:
    """Test the last value of each series against up to ``baseline_periods``
    values before it, keeping only periods when collection was running.
    Flagged series, the most unusual (highest ratio to baseline) first."""
    live = running(totals)
    last = len(totals) - 1
    window = range(max(0, last - baseline_periods), last)
    out = []
    for key, counts in series.items():
        baseline = [counts[i] for i in window if live[i]]
        result = unusual(counts[last], baseline)
        if result.flagged:
            out.append((key, result))
    out.sort(key=lambda kv: (-kv[1].ratio, -kv[1].current, kv[0]))
    return out

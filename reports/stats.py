"""Honest statistics: suppression, Wilson intervals (``nlp.estimate.wilson``,
the one implementation), the emerging-issue test."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import fmean, pstdev

from nlp.estimate import wilson

__all__ = ["MIN_COUNT", "Unusual", "count_shown", "describe_test", "intervals_apart", "share",
           "share_shown", "unusual", "wilson"]

MIN_COUNT = 10  # no percentage on a count under this, no aggregate over fewer authors


def count_shown(n: int, authors_ok: bool = True) -> bool:
    """A count may be published when it is at least 10 and describes at
    least 10 distinct authors."""
    return n >= MIN_COUNT and authors_ok


def share_shown(part: int, whole: int) -> bool:
    """A percentage needs both its count and its base to be at least 10."""
    return part >= MIN_COUNT and whole >= MIN_COUNT


def share(part: int, whole: int) -> float | None:
    return part / whole if share_shown(part, whole) else None


def intervals_apart(a: tuple[float, float] | None, b: tuple[float, float] | None) -> bool:
    """True when two intervals do not overlap (a conservative difference test)."""
    return a is not None and b is not None and (a[0] > b[1] or b[0] > a[1])


@dataclass(frozen=True)
class Unusual:
    """The emerging-issue test applied to one series."""

    current: int
    baseline_mean: float
    baseline_sd: float
    threshold: float
    weeks: int  # baseline periods used
    flagged: bool

    @property
    def ratio(self) -> float:
        return self.current / self.baseline_mean if self.baseline_mean > 0 else math.inf


EMERGING_Z = 3.0
MIN_BASELINE = 4

EMERGING_TEST = (
    "An issue is flagged when its posts in the period exceed the mean of its own "
    "trailing {n} {unit} by more than {z:g} times the larger of the standard deviation, "
    "the square root of the mean (Poisson noise) and 1, with at least {m} posts. "
    "Baseline periods before collection started are left out; at least {b} are needed."
)


def describe_test(n: int, unit: str) -> str:
    return EMERGING_TEST.format(n=n, unit=unit, z=EMERGING_Z, m=MIN_COUNT, b=MIN_BASELINE)


def unusual(current: int, baseline: Sequence[int], z: float = EMERGING_Z) -> Unusual:
    """Test ``current`` against ``baseline`` (the trailing periods in which
    collection was running)."""
    if len(baseline) < MIN_BASELINE:
        return Unusual(current, 0.0, 0.0, math.inf, len(baseline), False)
    mean = fmean(baseline)
    sd = pstdev(baseline)
    threshold = mean + z * max(sd, math.sqrt(mean), 1.0)
    return Unusual(current, mean, sd, threshold, len(baseline),
                   current >= MIN_COUNT and current > threshold)

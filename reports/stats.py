"""Honest statistics: suppression, Wilson intervals (``nlp.estimate.wilson``,
the one implementation), the emerging-issue test."""

from __future__ import annotations

from nlp.estimate import wilson
from nlp.unusual import (  # the emerging-issue test lives in nlp: bursting terms state it too
    EMERGING_TEST,
    EMERGING_Z,
    MIN_BASELINE,
    Unusual,
    describe_test,
    unusual,
)

__all__ = [
    "EMERGING_TEST",
    "EMERGING_Z",
    "MIN_BASELINE",
    "MIN_COUNT",
    "Unusual",
    "count_shown",
    "describe_test",
    "intervals_apart",
    "share",
    "share_shown",
    "unusual",
    "wilson",
]

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

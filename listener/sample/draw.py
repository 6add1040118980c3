"""Fast seeded draws (``random.choice``/``choices`` cost microseconds each;
the benchmark generates 100,000 posts)."""

from __future__ import annotations

import random
from bisect import bisect
from collections.abc import Sequence
from itertools import accumulate
from typing import TypeVar

T = TypeVar("T")


def pick(items: Sequence[T], rng: random.Random) -> T:
    """One item, uniformly."""
    return items[int(rng.random() * len(items))]


def cumulative(weights: Sequence[float]) -> list[float]:
    return list(accumulate(weights))


def weighted(items: Sequence[T], cum_weights: Sequence[float], rng: random.Random) -> T:
    """One item with probability proportional to its weight."""
    return items[bisect(cum_weights, rng.random() * cum_weights[-1])]

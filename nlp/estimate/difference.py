"""The difference of two independent proportions with a 95% interval:
Newcombe's hybrid score interval (Newcombe 1998, "Interval estimation for
the difference between independent proportions: comparison of eleven
methods", Statistics in Medicine 17:873-890, method 10), built from the
two Wilson intervals.

"The two 95% intervals do not overlap" is a much stricter test (roughly
p < 0.006), so it misses real shifts; a difference is beyond noise when
this interval excludes zero.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from nlp.estimate.accuracy import wilson


@dataclass(frozen=True)
class Difference:
    """``p1 - p2`` with its interval ``[low, high]``."""

    value: float
    low: float
    high: float

    @property
    def beyond_noise(self) -> bool:
        """The interval excludes zero: a real change at the 95% level."""
        return self.low > 0 or self.high < 0


def newcombe(x1: int, n1: int, x2: int, n2: int, level: float = 0.95) -> Difference | None:
    """x1/n1 - x2/n2 with Newcombe's method-10 interval; None when either
    base is empty."""
    first, second = wilson(x1, n1, level), wilson(x2, n2, level)
    if first is None or second is None:
        return None
    p1, p2 = x1 / n1, x2 / n2
    (l1, u1), (l2, u2) = first, second
    d = p1 - p2
    return Difference(d, d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2),
                      d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2))

"""How many posts to audit in each stratum of a stratified draw.

Two allocations (measured in bench/prevalence.py; docs/nlp.md has the table):

- proportional with a floor (the default, ``floor=5``): every stratum gets
  ``floor`` posts (or all of a smaller one; fewer each when the floors alone
  would pass ``n``) and the rest of the ``n`` are shared in proportion to
  the posts each stratum has left. It suits the
  corrected shares: a 200-post audit by topic x sentiment met the 3-point
  target on both development sets this way (2.35 and 2.04 points);
- equal (``floor=None``): the same number in every stratum, capped at its
  size, the rest to the strata with most posts left. It suits measuring each
  class's precision, and missed the target on TweetEval (3.17 points).

Rounding: whole numbers are taken first, then the posts still owed go one
at a time to the strata furthest below their exact share (ties to the
stratum that comes first in ``sizes``: pass them in a fixed order for a
reproducible draw).
"""

from __future__ import annotations

from collections.abc import Mapping

FLOOR = 5  # posts every stratum gets (or all of a smaller one) by default


def allocate(sizes: Mapping[str, int], n: int, floor: int | None = FLOOR) -> dict[str, int]:
    """Posts to audit per stratum, ``n`` in all (never more than a stratum
    has). With more strata than ``n / floor`` the floor shrinks to fit."""
    if any(size < 0 for size in sizes.values()):
        raise ValueError("stratum sizes cannot be negative")
    if n <= 0 or not sizes:
        return {h: 0 for h in sizes}
    n = min(n, sum(sizes.values()))
    if floor is None:
        take = {h: min(size, n // len(sizes)) for h, size in sizes.items()}
        want = {h: float(size) for h, size in sizes.items()}
    else:
        floor = min(floor, n // len(sizes))
        take = {h: min(size, floor) for h, size in sizes.items()}
        left = {h: sizes[h] - take[h] for h in sizes}
        budget, pool = n - sum(take.values()), sum(left.values()) or 1
        want = {h: take[h] + budget * left[h] / pool for h in sizes}
        take = {h: int(want[h]) if budget > 0 else take[h] for h in sizes}
    while sum(take.values()) < n:
        h = max((k for k in sizes if take[k] < sizes[k]), key=lambda k: want[k] - take[k])
        take[h] += 1
    return take

"""Bursting terms: words and phrases used by far more posts this period
than their own trailing baseline, by the same stated test as emerging
issues (``nlp.unusual``), so the report states one test for both.

The caller counts posts per term per period with ``nlp.terms.term_counts``
(the same tokenisation as theme keywords) and passes the periods oldest
first, the current period last. Example posts for a burst are the current
period's posts whose ``nlp.terms.terms_of`` contains the term.

A phrase and its words often burst together ("road closure", "closure");
a word is left out when a bursting phrase containing it accounts for most
of its posts (``overlap``), so the list names each thing once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from nlp.unusual import MIN_CURRENT, Unusual, describe_test, flags


@dataclass(frozen=True)
class Burst:
    term: str
    test: Unusual  # count (current), baseline mean and sd, threshold, periods used

    @property
    def count(self) -> int:
        return self.test.current


def bursting_terms(periods: Sequence[Mapping[str, int]], *,
                   totals: Sequence[int] | None = None, baseline_periods: int = 8,
                   overlap: float = 0.8, limit: int | None = None) -> list[Burst]:
    """Terms unusual in the last period against up to ``baseline_periods``
    periods before it, most unusual (highest ratio to baseline) first.

    ``totals`` are all posts per period, to tell periods before collection
    started (left out of baselines); by default a period with no term
    counted at all is taken as not collected."""
    if not periods:
        return []
    if totals is None:
        totals = [sum(p.values()) for p in periods]
    if len(totals) != len(periods):
        raise ValueError(f"{len(periods)} periods but {len(totals)} totals")
    current = periods[-1]
    candidates = [t for t, n in current.items() if n >= MIN_CURRENT]
    history = periods[-baseline_periods - 1:]
    series = {t: [p.get(t, 0) for p in history] for t in candidates}
    found = flags(series, totals[-len(history):], baseline_periods)
    phrases = [(t, r.current) for t, r in found if " " in t]
    out = [Burst(t, r) for t, r in found
           if " " in t or not any(t in p.split() and n >= overlap * r.current
                                  for p, n in phrases)]
    return out[:limit] if limit is not None else out


def describe(baseline_periods: int = 8, unit: str = "weeks") -> str:
    """The stated test, for the report's footnote."""
    return describe_test(baseline_periods, unit).replace("An issue", "A term")

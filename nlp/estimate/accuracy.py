"""How accurate a classifier was on an audit: precision and recall per class
with Wilson intervals, weighted by the audit's design.

Precision of k: of the posts predicted k, the share truly k. Recall of k:
of the posts truly k, the share predicted k. A stratified audit over-draws
small strata, so each audited post counts with its design weight (the
posts it stands for); the interval is Wilson's with Kish's effective sample
size, (sum w)^2 / sum w^2, which is the plain count when weights are equal
(a simple random sample): Kish, "Survey Sampling", 1965.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist

from nlp.estimate.design import Audit


def wilson(part: float, whole: float, level: float = 0.95) -> tuple[float, float] | None:
    """The Wilson score interval for part/whole (None on an empty base).
    ``part`` and ``whole`` may be effective (non-integer) counts."""
    if whole <= 0:
        return None
    z = NormalDist().inv_cdf(0.5 + level / 2)
    p = part / whole
    denom = 1 + z * z / whole
    centre = (p + z * z / (2 * whole)) / denom
    half = z * math.sqrt(max(0.0, p * (1 - p)) / whole + z * z / (4 * whole * whole)) / denom
    # at p = 0 (or 1) the bound is exactly 0 (or 1); rounding would leave 1e-17
    low = 0.0 if part <= 0 else max(0.0, centre - half)
    return low, 1.0 if part >= whole else min(1.0, centre + half)


@dataclass(frozen=True)
class Rate:
    """One proportion from an audit: value, Wilson interval, and the audited
    posts it rests on (``n``; ``n_effective`` after weighting)."""

    value: float | None
    low: float | None
    high: float | None
    n: int
    n_effective: float


@dataclass(frozen=True)
class ClassAccuracy:
    label: str
    precision: Rate
    recall: Rate


def _rate(hits: list[tuple[bool, float]], level: float) -> Rate:
    """Weighted share of True among (flag, weight) pairs."""
    total = sum(w for _, w in hits)
    if not hits or total <= 0:
        return Rate(None, None, None, 0, 0.0)
    n_eff = total * total / sum(w * w for _, w in hits)
    value = sum(w for flag, w in hits if flag) / total
    interval = wilson(value * n_eff, n_eff, level)
    assert interval is not None
    return Rate(value, interval[0], interval[1], len(hits), n_eff)


def audit_accuracy(audit: Audit, classes: list[str] | None = None, *,
                   level: float = 0.95) -> dict[str, ClassAccuracy]:
    """Precision and recall of every class seen in the audit (or of ``classes``)."""
    weights = audit.weights()
    if classes is None:
        classes = sorted(set().union(*audit.predicted, *audit.gold))
    out: dict[str, ClassAccuracy] = {}
    for k in classes:
        rows = list(zip(audit.predicted, audit.gold, weights, strict=True))
        precision = [(k in g, w) for p, g, w in rows if k in p]
        recall = [(k in p, w) for p, g, w in rows if k in g]
        out[k] = ClassAccuracy(k, _rate(precision, level), _rate(recall, level))
    return out

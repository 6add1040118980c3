"""Shares corrected with an audit drawn from the SAME period: prediction-powered
inference, power-tuned (PPI++), per stratum of the audit's design.

Method. For class k let f = 1 if a post was predicted k, y = 1 if its true
label is k. In stratum h (one stratum for a simple random sample) with
``N_h`` posts in the period, of which a share ``F_h`` was predicted k, and
``n_h`` audited posts:

    share_h = lam_h * F_h + mean_audit_h(y - lam_h * f)

The period's predictions give the first term for every post; the audit
measures how far they are off (the "rectifier"). The stratum results are
added with weights ``W_h = N_h / N``:  share = sum_h W_h * share_h.

- ``lam_h = 0`` is the audit alone (the classical estimate); ``lam_h = 1``
  is plain PPI (Angelopoulos, Bates, Fannjiang, Jordan & Zrnic, "Prediction-
  powered inference", Science 382, 2023). PPI++ (Angelopoulos, Duchi & Zrnic,
  "PPI++: Efficient Prediction-Powered Inference", arXiv:2311.01453, 2023)
  picks the ``lam_h`` that minimises the variance, clipped to [0, 1], so the
  estimate is never worse than the audit alone (up to the noise of tuning).
  Tuning per stratum follows stratified PPI (Fisch, Maynez, Hofer, Dhingra,
  Globerson & Cohen, "Stratified Prediction-Powered Inference for Hybrid
  Language Model Evaluation", NeurIPS 2024).
- When strata ARE the predicted classes (the audit loop stratifies by
  predicted topic and sentiment), f is constant within a stratum, the lam
  terms cancel and the estimate is sum_h W_h * P(true = k | stratum h): the
  post-stratified "predictive value" estimator. It is unbiased.
- Variance. With ``finite_population=True`` (the default) the target is the
  share among THIS period's posts, whose predictions are all known: the
  survey-sampling form of the same estimator (a difference estimator,
  Sarndal, Swensson & Wretman 1992, ch. 6), variance
  ``sum_h W_h^2 (1 - n_h/N_h) s_h^2 / n_h`` with s_h^2 the sample variance of
  ``y - lam_h f`` and optimal ``lam_h = cov(y, f) / var(f)``. With ``False``
  it is ppi_py's form (the period itself a sample of a larger population:
  ``+ lam_h^2 var(f)/N_h``, ``lam_h = cov / ((1 + n_h/N_h) var)``); bench/
  prevalence.py checks that form against ppi_py 0.2.3 on the same inputs.
- Guards: lam is tuned only on strata with >= ``MIN_TUNE`` audited posts
  (else 0); s_h^2 is at least q(1-q) with q = 1/(n_h + 2), so that a stratum
  whose few audited posts all agree does not claim zero uncertainty; a
  stratum with posts but no audited post keeps its predicted share, and the
  interval is widened by the most it could be wrong (its whole weight).
"""

from __future__ import annotations

import math
from collections import defaultdict
from statistics import NormalDist

from nlp.estimate.design import Audit, Period, classes_of
from nlp.estimate.results import ShareEstimate, Shares

METHOD = "ppi++"
MIN_TUNE = 10  # audited posts a stratum needs before its lam is tuned


def _stratum(f: list[int], y: list[int], big_n: int, f_share: float, lam: float | None,
             finite: bool) -> tuple[float, float, float]:
    """(estimate, variance, lam) for one class in one stratum with audited
    posts; ``lam=None`` tunes it."""
    n = len(y)
    fbar, ybar = sum(f) / n, sum(y) / n
    if lam is None and n < MIN_TUNE:
        lam = 0.0
    elif lam is None:
        cov = sum((a - ybar) * (b - fbar) for a, b in zip(y, f, strict=True)) / n
        if finite:
            var_f = sum((b - fbar) ** 2 for b in f) / n
        else:  # ppi_py: variance of the predictions over audit and period together
            m, c = n + big_n, sum(f) + f_share * big_n
            var_f = (c - c * c / m) / (m - 1) * (1 + n / big_n)
        lam = min(1.0, max(0.0, cov / var_f)) if var_f > 0 else 0.0
    r = [a - lam * b for a, b in zip(y, f, strict=True)]
    rbar = sum(r) / n
    ss = sum((v - rbar) ** 2 for v in r)
    q = 1 / (n + 2)
    if finite:
        s2 = max(ss / (n - 1) if n > 1 else 0.0, q * (1 - q))
        var = max(0.0, 1 - n / big_n) * s2 / n
    else:
        var = max(ss / n, q * (1 - q)) / n + lam * lam * f_share * (1 - f_share) / big_n
    return lam * f_share + rbar, var, lam


def ppi_shares(period: Period, audit: Audit, classes: list[str] | None = None, *,
               level: float = 0.95, tune: bool = True, finite_population: bool = True,
               ) -> Shares:
    """Each class's share among the period's posts, corrected with an audit
    drawn from that same period (simple random or stratified; see module doc).

    ``tune=False`` gives plain PPI (lam = 1). Strata of the audit missing
    from ``period.sizes`` are ignored (their posts are gone from the period)."""
    classes = classes_of(period, audit, classes or ())
    method = METHOD if tune else "ppi"
    total = period.total
    if not total or not len(audit):
        return Shares(method, {k: ShareEstimate(k, None, None, None, method, len(audit), total)
                               for k in classes}, False,
                      "no posts in the period" if not total else "the audit is empty")
    z = NormalDist().inv_cdf(0.5 + level / 2)
    rows: dict[str, list[int]] = defaultdict(list)
    for i, h in enumerate(audit.strata):
        if period.sizes.get(h, 0) > 0:
            rows[h].append(i)
    if audit.strata and not rows:
        raise ValueError(
            f"none of the audit's strata ({', '.join(sorted(set(audit.strata))[:5])}) is a "
            f"stratum of the period ({', '.join(sorted(period.sizes)[:5])}): summarise the "
            "period with the strata the audit was drawn by")
    unaudited = sum(n for h, n in period.sizes.items() if n > 0 and not rows.get(h))
    estimates: dict[str, ShareEstimate] = {}
    lams: dict[str, dict[str, float]] = {}
    for k in classes:
        point = var = widen_low = widen_high = 0.0
        lams[k] = {}
        for h, big_n in period.sizes.items():
            if big_n <= 0:
                continue
            w = big_n / total
            f_share = period.predicted.get(h, {}).get(k, 0) / big_n
            if not rows.get(h):
                point += w * f_share
                widen_low, widen_high = widen_low + w * f_share, widen_high + w * (1 - f_share)
                continue
            f = [int(k in audit.predicted[i]) for i in rows[h]]
            y = [int(k in audit.gold[i]) for i in rows[h]]
            est, v, lam = _stratum(f, y, big_n, f_share, None if tune else 1.0,
                                   finite_population)
            point += w * est
            var += w * w * v
            lams[k][h] = lam
        half = z * math.sqrt(var)
        estimates[k] = ShareEstimate(
            k, min(1.0, max(0.0, point)), max(0.0, point - half - widen_low),
            min(1.0, point + half + widen_high), method,
            sum(len(v) for v in rows.values()), total)
    note = "" if not unaudited else (
        f"{unaudited} of {total} posts were in strata the audit did not sample; "
        "their predicted labels are used and the intervals widened to allow for them")
    return Shares(method, estimates, True, note,
                  {"lambda": lams, "unaudited_share": unaudited / total if total else 0.0,
                   "level": level, "finite_population": finite_population})


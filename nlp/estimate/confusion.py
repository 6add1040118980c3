"""Shares corrected with an audit from an EARLIER period: confusion-matrix
correction ("adjusted classify and count"), with bootstrap intervals.

Method. The audit estimates how the classifier errs: M[j, k] = P(predicted j
| true k), weighting each audited post by its design weight. If the way it
errs has not changed (only how common each class is), this period's
predicted shares q satisfy q = M p, where p are the true shares; solving
for p corrects them (Rogan & Gladen, "Estimating prevalence from the
results of a screening test", Am. J. Epidemiol. 107, 1978, for two classes;
Forman, "Quantifying counts and costs via classification", Data Min.
Knowl. Disc. 17, 2008, "adjusted classify and count" for several; the same
as quapy's ``ACC`` with the ``inversion`` method, exact solver and ``clip``
normalisation). Solutions outside [0, 1] are clipped and renormalised to
sum to 1. With several labels per post (topics) each class is corrected on
its own as "k or not k" (Rogan-Gladen).

Uncertainty: a percentile bootstrap that redraws both the period's
predictions (multinomially, from its predicted shares) and the audit
(within each stratum), and solves again each time.

Refusals, in plain words in ``Shares.note`` (``ok=False``, no figures): a
true class with no audited post, a predicted class the audit never saw
(so M has a zero row: the system has no unique solution), or M so
ill-conditioned (condition number above ``MAX_CONDITION``) that inverting
it would mostly amplify noise. Bootstrap draws whose matrix is singular are
dropped; their share is in ``details["failed_draws"]``.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
from numpy.typing import NDArray

from nlp.estimate.design import Audit, Period, classes_of
from nlp.estimate.results import ShareEstimate, Shares

METHOD = "confusion-matrix"
MAX_CONDITION = 1e3  # above this, inversion is refused
Array = NDArray[np.float64]


def _matrix(pred: NDArray[np.int_], gold: NDArray[np.int_], w: Array, k: int) -> Array:
    """Weighted P(pred=j | gold=c) as a k x k array (NaN columns for unseen c)."""
    joint = np.bincount(pred * k + gold, weights=w, minlength=k * k).reshape(k, k)
    with np.errstate(invalid="ignore", divide="ignore"):
        out: Array = joint / joint.sum(axis=0, keepdims=True)
    return out


def _solve(m: Array, q: Array) -> Array:
    """Clipped, renormalised solutions of m p = q, batched over leading axes."""
    p = np.linalg.solve(m, q[..., None])[..., 0]
    p = np.clip(p, 0.0, 1.0)
    s = p.sum(axis=-1, keepdims=True)
    out: Array = np.where(s > 0, p / np.where(s > 0, s, 1.0), 1.0 / p.shape[-1])
    return out


def _refusal(m: Array, names: list[str]) -> str:
    unseen = [names[c] for c in range(len(names)) if np.isnan(m[:, c]).any()]
    if unseen:
        return f"no audited post is truly {', '.join(unseen)}: its errors are unknown"
    never = [names[j] for j in range(len(names)) if not m[j].any()]
    if never:
        return (f"the audit never saw {', '.join(never)} predicted, so the confusion "
                "matrix is singular and the correction has no unique answer")
    cond = float(np.linalg.cond(m))
    if not np.isfinite(cond) or cond > MAX_CONDITION:
        return (f"the confusion matrix is ill-conditioned (condition number {cond:.3g}): "
                "inverting it would mostly amplify noise")
    return ""


def _one_problem(names: list[str], q_counts: Array, pred: NDArray[np.int_],
                 gold: NDArray[np.int_], w: Array, strata: list[NDArray[np.int_]],
                 n_boot: int, level: float, rng: np.random.Generator,
                 ) -> tuple[Array, Array, Array, str, float, float]:
    """Point, low, high per class of ``names``; a refusal note; cond; failed share."""
    k = len(names)
    m = _matrix(pred, gold, w, k)
    note = _refusal(m, names)
    nan = np.full(k, np.nan)
    if note:
        return nan, nan, nan, note, float("nan"), 0.0
    total = q_counts.sum()
    point = _solve(m, q_counts / total)
    draws = [rng.integers(0, len(idx), size=(n_boot, len(idx))) for idx in strata]
    idx = np.concatenate([s[d] for s, d in zip(strata, draws, strict=True)], axis=1)
    q_star = rng.multinomial(int(total), q_counts / total, size=n_boot) / total
    flat_joint = np.zeros((n_boot, k * k))
    flat = pred[idx] * k + gold[idx]
    np.add.at(flat_joint, (np.arange(n_boot)[:, None], flat), w[idx])
    joint = flat_joint.reshape(n_boot, k, k)
    col = joint.sum(axis=1, keepdims=True)
    good = (col > 0).all(axis=(1, 2))
    m_star = joint[good] / col[good]
    good_idx = np.flatnonzero(good)
    cond = np.linalg.cond(m_star) if len(m_star) else np.array([])
    fine = np.isfinite(cond) & (cond < 1e8)
    p_star = _solve(m_star[fine], q_star[good_idx[fine]])
    failed = 1 - len(p_star) / n_boot
    if len(p_star) < 0.5 * n_boot:
        return nan, nan, nan, "the bootstrap's matrices were mostly singular", 0.0, failed
    alpha = (1 - level) / 2
    low, high = np.quantile(p_star, [alpha, 1 - alpha], axis=0)
    return point, low, high, "", float(np.linalg.cond(m)), failed


def confusion_shares(period: Period, audit: Audit, classes: list[str] | None = None, *,
                     level: float = 0.95, n_boot: int = 1000, seed: int = 0) -> Shares:
    """Each class's share among the period's posts, corrected with the
    confusion matrix of an audit (from any period; see module doc)."""
    classes = classes_of(period, audit, classes or ())
    if not period.total or not len(audit):
        return Shares(METHOD, {k: ShareEstimate(k, None, None, None, METHOD, len(audit),
                                                period.total) for k in classes}, False,
                      "no posts in the period" if not period.total else "the audit is empty")
    rng = np.random.default_rng(seed)
    w = np.asarray(audit.weights(), dtype=float)
    by_stratum: dict[str, list[int]] = defaultdict(list)
    for i, h in enumerate(audit.strata):
        by_stratum[h].append(i)
    strata = [np.asarray(v) for v in by_stratum.values()]
    counts = period.counts()
    single = period.single_label and audit.single_label
    problems = [classes] if single else [[c, f"not {c}"] for c in classes]
    estimates: dict[str, ShareEstimate] = {}
    notes: list[str] = []
    conds: dict[str, float] = {}
    failed: dict[str, float] = {}
    for names in problems:
        def index(labels: frozenset[str], names: list[str] = names) -> int:
            return names.index(next(iter(labels))) if single else int(names[0] not in labels)

        pred = np.asarray([index(s) for s in audit.predicted], dtype=np.int_)
        gold = np.asarray([index(s) for s in audit.gold], dtype=np.int_)
        q = np.asarray([counts.get(c, 0) for c in names], dtype=float)
        if not single:
            q[1] = period.total - q[0]
        p, lo, hi, note, cond, fail = _one_problem(names, q, pred, gold, w, strata, n_boot,
                                                   level, rng)
        if note:
            notes.append(note if single else f"{names[0]}: {note}")
        conds[names[0]], failed[names[0]] = cond, fail
        for c in names[:len(names) if single else 1]:
            j = names.index(c)
            ok = not note
            estimates[c] = ShareEstimate(c, float(p[j]) if ok else None,
                                         float(lo[j]) if ok else None,
                                         float(hi[j]) if ok else None,
                                         METHOD, len(audit), period.total)
    return Shares(METHOD, estimates, not notes, "; ".join(notes),
                  {"condition": conds, "failed_draws": failed, "n_boot": n_boot,
                   "level": level, "seed": seed})

"""Sentiment thresholds chosen by cross-validation over whole dev sets.

For a lexicon classifier with a compound score, the two thresholds
(negative at or below, positive at or above) are the only settings chosen
from data. ``cross_validate`` splits every set into 5 seeded folds; on each
fold it picks the pair that maximises the MEAN macro-F1 of all the sets'
other folds (so that no set is tuned at another's expense) and scores the
held-out fold. It returns the held-out mean and spread per set, and the
pair chosen on all the data (the one a version ships).
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence

import numpy as np
from numpy.typing import NDArray

CLASSES = ("negative", "neutral", "positive")
LOW = [round(v, 2) for v in np.arange(-0.5, 0.001, 0.05)]
HIGH = [round(v, 2) for v in np.arange(0.05, 0.76, 0.05)]
Scored = tuple[NDArray[np.float64], NDArray[np.int_]]  # compound scores, gold class index


def scored(scores: Sequence[float], gold: Sequence[str]) -> Scored:
    return np.asarray(scores, dtype=float), np.asarray([CLASSES.index(g) for g in gold])


def macro_f1(data: Scored, low: float, high: float) -> float:
    score, gold = data
    pred = np.where(score >= high, 2, np.where(score <= low, 0, 1))
    f1s = []
    for k in range(3):
        tp = float(np.sum((pred == k) & (gold == k)))
        predicted, support = float(np.sum(pred == k)), float(np.sum(gold == k))
        p = tp / predicted if predicted else 0.0
        r = tp / support if support else 0.0
        f1s.append(2 * p * r / (p + r) if p + r else 0.0)
    return float(np.mean(f1s))


def best_pair(sets: Sequence[Scored]) -> tuple[float, float]:
    pairs = [(lo, hi) for lo in LOW for hi in HIGH if hi > lo]
    return max(pairs, key=lambda p: statistics.fmean(macro_f1(s, *p) for s in sets))


def cross_validate(sets: Mapping[str, Scored], folds: int = 5, seed: int = 0,
                   ) -> tuple[dict[str, tuple[float, float]], tuple[float, float]]:
    """Held-out macro-F1 (mean, sd) per set, and the pair chosen on everything."""
    rng = np.random.default_rng(seed)
    fold_of = {k: rng.permutation(len(s[1])) % folds for k, s in sets.items()}
    held: dict[str, list[float]] = {k: [] for k in sets}
    for f in range(folds):
        train = [(s[0][fold_of[k] != f], s[1][fold_of[k] != f]) for k, s in sets.items()]
        pair = best_pair(train)
        for k, s in sets.items():
            mask = fold_of[k] == f
            held[k].append(macro_f1((s[0][mask], s[1][mask]), *pair))
    return ({k: (statistics.fmean(v), statistics.pstdev(v)) for k, v in held.items()},
            best_pair(list(sets.values())))

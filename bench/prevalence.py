"""How far off are the published shares, raw and corrected with an audit?

    python bench/prevalence.py [--data-dir ../shared/data/eval] [--draws 200] [--n 200]
                               [--classifier sentiment.vader.v2] [--boot 1000]

On each dev set the default sentiment classifier labels every post; the set
stands for "this week". Then, --draws times, an audit of --n posts is drawn
from it and every estimator is scored against the set's true shares: mean
absolute error of the three shares (points), how often the 95% interval
covers the truth, and the mean interval width.

Designs: a simple random audit; one stratified by predicted sentiment
(equal numbers per class); and one stratified as `listener audit draw`
takes it, by predicted topic x sentiment (topics from `topics.keywords` with
eval_nlp's small council-style topic list), with equal numbers per
stratum, or proportional to size with at least 5 per stratum.
Earlier-period case: the audit comes from one half of the set (split by a
hash of group_key), the period is the other half; and the same with the
other half's negatives halved, so that the period's shares differ from the
audit's (the shift the correction is for).

Library check (first 20 draws): ``nlp.estimate.ppi_shares`` in ppi_py's
variance form against ppi_py 0.2.3 ``ppi_mean_ci`` (lam per class), and the
confusion-matrix point estimate against quapy 0.2.3 ``ACC.solve_adjustment``
(inversion, exact solver, clip). Both libraries are optional here (`pip
install ppi-python==0.2.3 quapy==0.2.3`); they are not project dependencies.
Writes bench/out/prevalence.json.
"""

from __future__ import annotations

import argparse
import csv
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.eval_nlp import builtin, half  # noqa: E402
from nlp.config import NlpSettings  # noqa: E402
from nlp.estimate import (  # noqa: E402
    Audit,
    Period,
    Shares,
    confusion_shares,
    correct_shares,
    ppi_shares,
    raw_shares,
)
from nlp.estimate.allocate import allocate  # noqa: E402
from nlp.labelled import predict_one  # noqa: E402

SETS = (("tweeteval_sentiment_dev", "label"), ("airline_dev", "airline_sentiment"))
CLASSES = ["negative", "neutral", "positive"]


class Score:
    """Errors, coverage and widths of one estimator over the draws."""

    def __init__(self) -> None:
        self.err: list[float] = []
        self.cover: list[float] = []
        self.width: list[float] = []
        self.refused = 0

    def add(self, shares: Shares, truth: dict[str, float]) -> None:
        if not shares.ok:
            self.refused += 1
            return
        for c in CLASSES:
            e = shares.estimates[c]
            assert e.share is not None and e.low is not None and e.high is not None
            self.err.append(abs(e.share - truth[c]) * 100)
            self.cover.append(float(e.low <= truth[c] <= e.high))
            self.width.append((e.high - e.low) * 100)

    def row(self) -> dict[str, Any]:
        if not self.err:
            return {"mae": None, "coverage": None, "width": None, "refused": self.refused}
        return {"mae": statistics.fmean(self.err), "coverage": statistics.fmean(self.cover),
                "width": statistics.fmean(self.width), "refused": self.refused}


def shares_of(labels: list[str]) -> dict[str, float]:
    return {c: labels.count(c) / len(labels) for c in CLASSES}


def stratified_draw(strata: list[str], n: int, rng: np.random.Generator,
                    floor: int | None = None) -> list[int]:
    members: dict[str, list[int]] = {}
    for i, h in enumerate(strata):
        members.setdefault(h, []).append(i)
    take = allocate({h: len(v) for h, v in members.items()}, n, floor)
    return [int(i) for h, v in members.items() for i in rng.choice(v, take[h], replace=False)]

def library_check(pred: list[str], gold: list[str], rng: np.random.Generator, n: int,
                  ) -> dict[str, float]:
    """Largest differences from ppi_py and quapy over 20 audits (None if absent)."""
    try:
        from ppi_py import ppi_mean_ci, ppi_mean_pointestimate
        from quapy.functional import normalize_prevalence
        from quapy.method.aggregative import ACC
    except ImportError:
        return {}
    onehot = (np.asarray(pred)[:, None] == np.asarray(CLASSES)).astype(float)
    gold_hot = (np.asarray(gold)[:, None] == np.asarray(CLASSES)).astype(float)
    period = Period.from_labels(pred)
    worst = {"ppi point": 0.0, "ppi interval": 0.0, "cm point": 0.0}
    for _ in range(20):
        idx = rng.choice(len(pred), n, replace=False)
        audit = Audit.of([pred[i] for i in idx], [gold[i] for i in idx])
        mine = ppi_shares(period, audit, CLASSES, finite_population=False)
        lo, hi = ppi_mean_ci(gold_hot[idx], onehot[idx], onehot, alpha=0.05,
                             lam_optim_mode="element")
        point = ppi_mean_pointestimate(gold_hot[idx], onehot[idx], onehot,
                                       lam_optim_mode="element")
        for j, c in enumerate(CLASSES):
            e = mine.estimates[c]
            assert e.share is not None and e.low is not None and e.high is not None
            worst["ppi point"] = max(worst["ppi point"], abs(e.share - point[j]))
            worst["ppi interval"] = max(worst["ppi interval"], abs(e.low - max(0, lo[j])),
                                        abs(e.high - min(1, hi[j])))
        m = ACC.getPteCondEstim(CLASSES, [gold[i] for i in idx], [pred[i] for i in idx])
        q = onehot.mean(axis=0)
        ref = normalize_prevalence(ACC.solve_adjustment(m, q, "inversion", "exact-raise"),
                                   method="clip")
        cm = confusion_shares(period, audit, CLASSES, n_boot=10)
        for j, c in enumerate(CLASSES):
            share = cm.estimates[c].share
            if share is not None:
                worst["cm point"] = max(worst["cm point"], abs(share - ref[j]))
    return worst


def run_set(name: str, pred: list[str], gold: list[str], halves: tuple[list[int], list[int]],
            topics: list[str], args: argparse.Namespace) -> dict[str, Any]:
    rng = np.random.default_rng(args.seed)
    truth = shares_of(gold)
    period = Period.from_labels(pred)
    strat_period = Period.from_labels(pred, pred)
    cells = [f"{t}|{p}" for t, p in zip(topics, pred, strict=True)]
    cell_period = Period.from_labels(pred, cells)
    cell_sizes = {h: cells.count(h) for h in set(cells)}
    sizes = {c: pred.count(c) for c in CLASSES}
    scores: dict[str, Score] = {}

    def score(key: str, shares: Shares, want: dict[str, float]) -> None:
        scores.setdefault(key, Score()).add(shares, want)

    raw = raw_shares(period, CLASSES)
    for _ in range(args.draws):
        seed = int(rng.integers(1 << 30))
        idx = rng.choice(len(pred), args.n, replace=False)
        audit = Audit.of([pred[i] for i in idx], [gold[i] for i in idx])
        score("raw", raw, truth)
        score("confusion-matrix, random audit", confusion_shares(
            period, audit, CLASSES, n_boot=args.boot, seed=seed), truth)
        score("PPI++, random audit", ppi_shares(period, audit, CLASSES), truth)
        chosen = correct_shares(period, current=audit, classes=CLASSES, n_boot=args.boot,
                                seed=seed).chosen
        assert chosen is not None
        score("chooser (narrower), random audit", chosen, truth)
        sidx = stratified_draw(pred, args.n, rng)
        saudit = Audit.of([pred[i] for i in sidx], [gold[i] for i in sidx],
                          [pred[i] for i in sidx], sizes)
        score("PPI++, stratified audit", ppi_shares(strat_period, saudit, CLASSES), truth)
        score("confusion-matrix, stratified audit", confusion_shares(
            strat_period, saudit, CLASSES, n_boot=args.boot, seed=seed), truth)
        for how, floor in (("equal", None), ("proportional, >= 5", 5)):
            cidx = stratified_draw(cells, args.n, rng, floor)
            caudit = Audit.of([pred[i] for i in cidx], [gold[i] for i in cidx],
                              [cells[i] for i in cidx], cell_sizes)
            what = f"audit by topic x sentiment ({len(cell_sizes)} strata, {how})"
            score(f"PPI++, {what}", ppi_shares(cell_period, caudit, CLASSES), truth)
            score(f"confusion-matrix, {what}", confusion_shares(
                cell_period, caudit, CLASSES, n_boot=args.boot, seed=seed), truth)
        # earlier period: audit from half a, period = half b (as is, and shifted)
        a, b = halves
        eidx = rng.choice(a, args.n, replace=False)
        early = Audit.of([pred[i] for i in eidx], [gold[i] for i in eidx])
        for label, rows in (("earlier audit", b), ("earlier audit, shifted period",
                                                  shifted(b, gold))):
            p_labels, g_labels = [pred[i] for i in rows], [gold[i] for i in rows]
            later, want = Period.from_labels(p_labels), shares_of(g_labels)
            score(f"raw, {label}", raw_shares(later, CLASSES), want)
            score(f"confusion-matrix, {label}", confusion_shares(
                later, early, CLASSES, n_boot=args.boot, seed=seed), want)
            score(f"PPI++ with the old audit (invalid), {label}",
                  ppi_shares(later, early, CLASSES), want)
    out = {k: v.row() for k, v in scores.items()}
    print(f"\n{name}: {len(pred)} posts; true shares "
          + ", ".join(f"{c} {truth[c]:.1%}" for c in CLASSES)
          + "; predicted " + ", ".join(f"{c} {sizes[c] / len(pred):.1%}" for c in CLASSES))
    print(f"  {'estimator':<72}{'MAE pts':>8}{'cover':>8}{'width':>8}{'refused':>8}")
    for key, row in out.items():
        if row["mae"] is None:
            print(f"  {key:<72}{'-':>8}{'-':>8}{'-':>8}{row['refused']:>8}")
            continue
        print(f"  {key:<72}{row['mae']:>8.2f}{row['coverage']:>8.1%}{row['width']:>8.1f}"
              f"{row['refused']:>8}")
    check = library_check(pred, gold, rng, args.n)
    if check:
        print("  library check (20 audits, largest difference): "
              + ", ".join(f"{k} {v:.2e}" for k, v in check.items()))
    return {"estimators": out, "library_check": check, "truth": truth}


def shifted(rows: list[int], gold: list[str]) -> list[int]:
    """Every other negative dropped: the period's shares move, its errors do not."""
    negatives = [i for i in rows if gold[i] == "negative"]
    drop = set(negatives[::2])
    return [i for i in rows if i not in drop]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir", type=Path, default=ROOT.parent / "shared/data/eval")
    parser.add_argument("--draws", type=int, default=200)
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--boot", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--classifier", default=NlpSettings().sentiment_classifier)
    args = parser.parse_args()
    clf = builtin(args.classifier)
    keywords = builtin("topics.keywords")  # eval_nlp's small council-style topic list
    print(f"classifier {clf.name} {clf.version}; {args.draws} audits of {args.n}")
    results: dict[str, Any] = {"classifier": f"{clf.name} {clf.version}"}
    tmp = Path(__file__).resolve().parent / "out"
    tmp.mkdir(parents=True, exist_ok=True)
    for file, col in SETS:
        started = time.perf_counter()
        texts, gold, halves = read_set(args.data_dir / f"{file}.csv", col)
        pred = predict_one(clf, texts)
        topics = predict_one(keywords, texts)
        results[file] = run_set(file, pred, gold, halves, topics, args)
        print(f"  ({time.perf_counter() - started:.0f} s)")
    (tmp / "prevalence.json").write_text(json.dumps(results, indent=2))
    print(f"wrote {tmp / 'prevalence.json'}")



def read_set(path: Path, col: str) -> tuple[list[str], list[str], tuple[list[int], list[int]]]:
    """Texts, gold labels and the row indices of eval_nlp's two halves."""
    with path.open(newline="", encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if (r.get(col) or "").strip()
                and (r.get("text") or "").strip()]
    sides = [half(r) for r in rows]
    return ([r["text"] for r in rows], [r[col].strip() for r in rows],
            ([i for i, s in enumerate(sides) if s == 0], [i for i, s in enumerate(sides) if s]))

if __name__ == "__main__":
    main()

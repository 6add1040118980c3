"""The learned topic head on the civic dev set, judged by 5-fold
cross-validation over the WHOLE set (issue 13), not by one half-to-half split.

    python bench/topic_head_cv.py [--data-dir ../shared/data/eval] [--folds 5]

All 11 categories of civic_bengaluru_dev.csv. Folds:
``nlp.training.grouped_folds`` (StratifiedGroupKFold) on the file's
``group_key``, so near-duplicates never straddle a fold; ``listener train``
uses the same folds, grouped by ``nlp.training.near_duplicate_key``. Each C
of ``nlp.training.C_GRID`` is scored by that grouped 5-fold CV over the
whole set (the head fitted with ``nlp.heads.fit_head``, as ``listener
train`` fits it); the best C is then scored with the text head averaged as
``train_with_text_head`` does ("minilm+tfidf"). The figure for the chosen C
is the best of the grid, so slightly optimistic. ``--balanced`` also scores
class_weight='balanced' at the best C. MiniLM embeddings are cached in bench/out/.
Never used by tests.
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nlp import text_head  # noqa: E402
from nlp.embeddings import shared_embedder  # noqa: E402
from nlp.heads import fit_head  # noqa: E402
from nlp.metrics import evaluate  # noqa: E402
from nlp.training import C_GRID, grouped_folds  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir", type=Path, default=next(
        (p / "shared/data/eval" for p in (ROOT.parent, ROOT.parent.parent)
         if (p / "shared/data/eval").is_dir()), ROOT.parent / "shared/data/eval"))
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--balanced", action="store_true",
                        help="also score class_weight='balanced' at the best C")
    args = parser.parse_args()
    path = args.data_dir / "civic_bengaluru_dev.csv"
    with path.open(newline="", encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["text"].strip() and r["category"].strip()]
    texts = [r["text"] for r in rows]
    y = np.array([r["category"] for r in rows])
    groups = np.array([r.get("group_key") or r["text"] for r in rows])
    cache = ROOT / "bench/out/civic_dev_minilm.npy"
    if cache.exists() and len(np.load(cache)) == len(texts):
        features = np.load(cache)
    else:
        start = time.perf_counter()
        features = shared_embedder().encode(texts)
        print(f"embedded {len(texts)} posts with MiniLM in {time.perf_counter() - start:.0f} s")
        cache.parent.mkdir(parents=True, exist_ok=True)
        np.save(cache, features)
    classes = sorted(set(y.tolist()))
    print(f"{len(texts)} posts, {len(classes)} categories; {args.folds}-fold CV"
          " grouped by group_key")
    folds = grouped_folds(list(y), list(groups), args.folds)

    def cv(c: float, with_text: bool, balanced: bool = False) -> list[float]:
        scores = []
        for train, test in folds:
            head = fit_head(features[train], list(y[train]), c=c, balanced=balanced)
            if with_text:
                other = text_head.fit_text_head([texts[i] for i in train], list(y[train]))
                probs = text_head.average(head.scores(features[test]),
                                          other.scores([texts[i] for i in test]))
                pred = [head.classes[i] for i in probs.argmax(axis=1)]
            else:
                pred = head.predict(features[test])[0]
            scores.append(evaluate(list(y[test]), list(pred), classes)["macro_f1"])
        return scores

    per_c = {}
    for c in C_GRID:
        per_c[c] = cv(c, with_text=False)
        print(f"minilm head, C={c}: macro-F1 {statistics.fmean(per_c[c]):.3f}"
              f" +- {statistics.stdev(per_c[c]):.3f} (folds"
              f" {', '.join(f'{v:.3f}' for v in per_c[c])})", flush=True)
    best = max(per_c, key=lambda c: statistics.fmean(per_c[c]))
    if args.balanced:
        b = cv(best, with_text=False, balanced=True)
        print(f"minilm head, C={best}, class_weight balanced: macro-F1"
              f" {statistics.fmean(b):.3f} +- {statistics.stdev(b):.3f}", flush=True)
    mixed = cv(best, with_text=True)
    print(f"chosen C={best}; with the text head averaged (minilm+tfidf): macro-F1"
          f" {statistics.fmean(mixed):.3f} +- {statistics.stdev(mixed):.3f} (folds"
          f" {', '.join(f'{v:.3f}' for v in mixed)}); target >= 0.72 over"
          f" {len(classes)} categories")

if __name__ == "__main__":
    main()

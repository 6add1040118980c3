"""The question/complaint classifier (``request.rules``) on the real posts of
``complaints_dev.csv`` (complaint vs not; ACL 2019 complaints corpus).

Prints, for the rules: precision, recall and F1 of ``complaint`` over the
whole dev set (with Wilson intervals), the 5-fold cross-validation that
chose ``negative_at`` (the threshold picked on four folds, scored on the
fifth), and the share of posts labelled ``question``. Then, as the
trainable head's yardstick (the labelling loop's ``listener train``), the
5-fold cross-validated F1 of a character n-gram head trained on the folds
(evaluation only: the corpus has no licence to ship weights from).

    python bench/questions.py [path/to/complaints_dev.csv]
"""

from __future__ import annotations

import csv
import statistics
import sys
from pathlib import Path

from nlp.questions import COMPLAINT, QUESTION, RequestRules

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "eval"
GRID = (-0.5, -0.4, -0.3, -0.2, -0.1, -0.05, 0.0)
FOLDS = 5


def wilson(k: int, n: int) -> str:
    from reports.stats import wilson as interval

    low, high = interval(k, n) or (0.0, 0.0)
    return f"{low:.3f}-{high:.3f}"


def scores(pred: list[bool], gold: list[bool]) -> tuple[float, float, float, int, int, int]:
    tp = sum(p and g for p, g in zip(pred, gold, strict=True))
    fp = sum(p and not g for p, g in zip(pred, gold, strict=True))
    fn = sum(g and not p for p, g in zip(pred, gold, strict=True))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1, tp, fp, fn


def predictions(texts: list[str], threshold: float) -> tuple[list[bool], list[bool]]:
    clf = RequestRules()
    clf.negative_at = threshold
    labels = [{lab.label for lab in labs} for labs in clf.classify(texts)]
    return [COMPLAINT in s for s in labels], [QUESTION in s for s in labels]


def main(path: Path) -> None:
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    texts = [r["text"] for r in rows]
    gold = [r["complaint"] == "1" for r in rows]
    print(f"{path.name}: {len(rows)} posts, {sum(gold)} complaints")
    by_threshold = {t: predictions(texts, t)[0] for t in GRID}
    folds = [list(range(k, len(rows), FOLDS)) for k in range(FOLDS)]
    chosen, held = [], []
    for k, test in enumerate(folds):
        train = [i for j, f in enumerate(folds) if j != k for i in f]
        best = max(GRID, key=lambda t: scores([by_threshold[t][i] for i in train],
                                               [gold[i] for i in train])[2])
        chosen.append(best)
        held.append(scores([by_threshold[best][i] for i in test], [gold[i] for i in test])[2])
    print(f"cross-validation: thresholds chosen {chosen}; held-out F1 per fold "
          f"{', '.join(f'{f:.3f}' for f in held)}; median {statistics.median(held):.3f}")
    shipped = RequestRules.negative_at
    complaint, question = predictions(texts, shipped)
    p, r, f1, tp, fp, fn = scores(complaint, gold)
    print(f"request.rules v1 (negative_at {shipped}) complaint vs not: precision {p:.3f} "
          f"({wilson(tp, tp + fp)}), recall {r:.3f} ({wilson(tp, tp + fn)}), F1 {f1:.3f}")
    acc = sum(a == b for a, b in zip(complaint, gold, strict=True)) / len(gold)
    print(f"  accuracy {acc:.3f}; labelled question: {sum(question)} of {len(rows)} "
          f"({sum(question) / len(rows):.0%}); complaints among them "
          f"{sum(q and g for q, g in zip(question, gold, strict=True))}")
    try:
        head(texts, gold)
    except ImportError as exc:
        print(f"head: skipped ({exc.name} not installed: the 'ml' extra)")


def head(texts: list[str], gold: list[bool]) -> None:
    from nlp.text_head import fit_text_head

    labels = ["complaint" if g else "none" for g in gold]
    f1s = []
    for k in range(FOLDS):
        test = set(range(k, len(texts), FOLDS))
        fitted = fit_text_head([t for i, t in enumerate(texts) if i not in test],
                               [lab for i, lab in enumerate(labels) if i not in test])
        probs = fitted.scores([texts[i] for i in sorted(test)])
        col = fitted.classes.index("complaint")
        pred = [bool(row[col] >= 0.5) for row in probs]
        f1s.append(scores(pred, [gold[i] for i in sorted(test)])[2])
    print(f"trainable head (char n-gram TF-IDF, logistic), 5-fold F1: "
          f"{', '.join(f'{f:.3f}' for f in f1s)}; median {statistics.median(f1s):.3f}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DATA / "complaints_dev.csv")

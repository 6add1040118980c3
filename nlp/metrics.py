"""Evaluation figures: accuracy, macro-F1, per-class precision/recall/F1 and
the confusion matrix. Plain Python, so ``listener eval`` works on the core
install (no scikit-learn needed)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def evaluate(gold: Sequence[str], pred: Sequence[str]) -> dict[str, Any]:
    if len(gold) != len(pred):
        raise ValueError(f"{len(gold)} gold labels but {len(pred)} predictions")
    classes = sorted(set(gold) | set(pred))
    index = {c: i for i, c in enumerate(classes)}
    matrix = [[0] * len(classes) for _ in classes]
    for g, p in zip(gold, pred, strict=True):
        matrix[index[g]][index[p]] += 1
    per_class: dict[str, dict[str, float | int]] = {}
    f1s: list[float] = []
    for c, i in index.items():
        tp = matrix[i][i]
        predicted = sum(row[i] for row in matrix)
        support = sum(matrix[i])
        precision = tp / predicted if predicted else 0.0
        recall = tp / support if support else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        f1s.append(f1)
        per_class[c] = {"precision": round(precision, 4), "recall": round(recall, 4),
                        "f1": round(f1, 4), "support": support}
    # over the gold classes and the ones only predicted (F1 0), as scikit-learn's
    # f1_score(average="macro") does: leaving those out would flatter the model
    macro = sum(f1s) / max(len(f1s), 1)
    correct = sum(matrix[i][i] for i in range(len(classes)))
    return {
        "n": len(gold),
        "accuracy": round(correct / len(gold), 4) if gold else 0.0,
        "macro_f1": round(macro, 4),
        "per_class": per_class,
        "labels": classes,
        "confusion": matrix,  # rows = gold, columns = predicted, in `labels` order
    }


def binary_f1(gold: Sequence[str], pred: Sequence[str], positive: str) -> float:
    """F1 of one class (e.g. complaint = 1, civic = 1)."""
    figures = evaluate(gold, pred)["per_class"].get(positive)
    return float(figures["f1"]) if figures else 0.0


def format_report(figures: dict[str, Any]) -> str:
    """The figures as plain text for a terminal."""
    lines = [f"n={figures['n']}  accuracy={figures['accuracy']:.3f}"
             f"  macro-F1={figures['macro_f1']:.3f}", "",
             f"{'class':<24}{'precision':>10}{'recall':>10}{'f1':>10}{'support':>10}"]
    for c, f in figures["per_class"].items():
        lines.append(f"{c[:23]:<24}{f['precision']:>10.3f}{f['recall']:>10.3f}"
                     f"{f['f1']:>10.3f}{f['support']:>10}")
    labels = figures["labels"]
    lines += ["", "confusion (rows = gold, columns = predicted):",
              " " * 24 + "".join(f"{c[:9]:>10}" for c in labels)]
    for c, row in zip(labels, figures["confusion"], strict=True):
        lines.append(f"{c[:23]:<24}" + "".join(f"{v:>10}" for v in row))
    return "\n".join(lines)

"""Evaluation figures: accuracy, macro-F1, per-class precision/recall/F1 and
the confusion matrix. Plain Python, so ``listener eval`` works on the core
install (no scikit-learn needed), computed as scikit-learn computes them.

Macro-F1 is the unweighted mean of the per-class F1 over the gold AND the
predicted classes (scikit-learn's default), so a class that was only ever
predicted counts, with F1 0. ``classes`` restricts the mean to named classes,
like ``f1_score(..., labels=classes, average="macro")``: a named class with
neither gold rows nor predictions counts with F1 0. Precision, recall or F1
with a zero denominator is 0 (scikit-learn's ``zero_division=0``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def _ratio(num: int | float, den: int | float) -> float:
    return num / den if den else 0.0


def evaluate(gold: Sequence[str], pred: Sequence[str],
             classes: Sequence[str] | None = None) -> dict[str, Any]:
    if len(gold) != len(pred):
        raise ValueError(f"{len(gold)} gold labels but {len(pred)} predictions")
    labels = sorted(set(gold) | set(pred) | set(classes or ()))
    index = {c: i for i, c in enumerate(labels)}
    matrix = [[0] * len(labels) for _ in labels]
    for g, p in zip(gold, pred, strict=True):
        matrix[index[g]][index[p]] += 1
    per_class: dict[str, dict[str, float | int]] = {}
    f1s: dict[str, float] = {}
    for c, i in index.items():
        tp = matrix[i][i]
        precision = _ratio(tp, sum(row[i] for row in matrix))
        recall = _ratio(tp, sum(matrix[i]))
        f1s[c] = _ratio(2 * precision * recall, precision + recall)
        per_class[c] = {"precision": round(precision, 4), "recall": round(recall, 4),
                        "f1": round(f1s[c], 4), "support": sum(matrix[i])}
    averaged = sorted(set(classes)) if classes else labels
    correct = sum(matrix[i][i] for i in range(len(labels)))
    return {
        "n": len(gold),
        "accuracy": round(_ratio(correct, len(gold)), 4),
        "macro_f1": round(_ratio(sum(f1s[c] for c in averaged), len(averaged)), 4),
        "macro_f1_classes": averaged,  # the classes the macro-F1 is the mean over
        "per_class": per_class,
        "labels": labels,
        "confusion": matrix,  # rows = gold, columns = predicted, in `labels` order
    }


def binary_f1(gold: Sequence[str], pred: Sequence[str], positive: str) -> float:
    """F1 of one class (e.g. complaint = 1, civic = 1)."""
    figures = evaluate(gold, pred)["per_class"].get(positive)
    return float(figures["f1"]) if figures else 0.0


def macro_f1_words(figures: dict[str, Any]) -> str:
    """What the macro-F1 figure is, in words: 'macro-F1 0.712 (mean F1 over 4
    classes: a, b, c, d)'."""
    over = figures.get("macro_f1_classes") or figures["labels"]
    return (f"macro-F1 {figures['macro_f1']:.3f} (mean F1 over {len(over)} classes:"
            f" {', '.join(over)})")


def format_report(figures: dict[str, Any]) -> str:
    """The figures as plain text for a terminal, each named for what it is."""
    averaged = set(figures.get("macro_f1_classes") or figures["labels"])
    lines = [f"n={figures['n']}  accuracy {figures['accuracy']:.3f} (share of posts whose"
             " predicted label is the gold one)",
             macro_f1_words(figures), "",
             f"{'class':<24}{'precision':>10}{'recall':>10}{'f1':>10}{'support':>10}"]
    for c, f in figures["per_class"].items():
        mark = "" if c in averaged else "   (not in the macro-F1)"
        lines.append(f"{c[:23]:<24}{f['precision']:>10.3f}{f['recall']:>10.3f}"
                     f"{f['f1']:>10.3f}{f['support']:>10}{mark}")
    labels = figures["labels"]
    lines += ["", "confusion (rows = gold, columns = predicted):",
              " " * 24 + "".join(f"{c[:9]:>10}" for c in labels)]
    for c, row in zip(labels, figures["confusion"], strict=True):
        lines.append(f"{c[:23]:<24}" + "".join(f"{v:>10}" for v in row))
    return "\n".join(lines)

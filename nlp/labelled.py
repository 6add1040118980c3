"""Labelled CSV files (staff labels, dev sets): reading them, and turning a
classifier's labels into one predicted label per text for scoring."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

from nlp.formula_guard import unguard
from nlp.types import Classifier

NONE = "none"


class LabelledDataError(ValueError):
    pass


def read_labelled(path: Path, text_col: str = "text", label_col: str = "label",
                  ) -> tuple[list[str], list[str]]:
    """Texts and labels of the rows whose label is filled in; the formula guard
    a CSV writer of the project put on a cell (``nlp.formula_guard``) is taken
    off again."""
    with Path(path).open(newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in (text_col, label_col) if c not in (reader.fieldnames or [])]
        if missing:
            raise LabelledDataError(
                f"{path}: no column {', '.join(map(repr, missing))}; columns are "
                f"{', '.join(reader.fieldnames or [])}")
        texts, labels = [], []
        for row in reader:
            label = unguard(row.get(label_col) or "").strip()
            text = unguard(row.get(text_col) or "")
            if label and text.strip():
                texts.append(text)
                labels.append(label)
    if not texts:
        raise LabelledDataError(f"{path}: no rows with both {text_col!r} and {label_col!r}")
    return texts, labels


def predict_one(classifier: Classifier, texts: Sequence[str], batch_size: int = 512,
                ) -> list[str]:
    """One label per text: the best-scored label, or 'none' when there is none
    (a post no topic matched)."""
    out: list[str] = []
    for start in range(0, len(texts), batch_size):
        for labels in classifier.classify(texts[start:start + batch_size]):
            if not labels:
                out.append(NONE)
            else:
                out.append(max(labels, key=lambda lab: lab.score or 0.0).label)
    return out

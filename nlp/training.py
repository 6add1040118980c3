"""Training a head on labelled posts, with cross-validated scores, and
saving it as a new versioned classifier with its model card."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from nlp import cards
from nlp.heads import LinearHead, fit_head
from nlp.metrics import evaluate
from nlp.text_head import TextHead

C_GRID = (0.003, 0.01, 0.03, 0.1, 0.3, 1.0)
DEFAULT_NAMES = {"topic": "topics.head", "sentiment": "sentiment.head",
                 "relevance": "relevance.head"}


def default_name(task: str) -> str:
    return DEFAULT_NAMES.get(task, f"{task}.head")


_NOT_WORD = re.compile(r"[\W_]+")


def near_duplicate_key(text: str) -> str:
    """The key that groups near-duplicate posts: lower case, every run of
    punctuation and spaces one space (``"Garbage  dumped!!"`` and ``"garbage
    dumped"`` share it)."""
    return _NOT_WORD.sub(" ", text.lower()).strip()


def grouped_folds(labels: Sequence[str], groups: Sequence[str], folds: int = 5,
                  seed: int = 0) -> list[tuple[np.ndarray, np.ndarray]]:
    """Stratified folds that never split a group: the posts of one group are
    all in training or all held out, so a near-duplicate of a training post
    never scores the model (which would flatter it, and the C it picks)."""
    from sklearn.model_selection import StratifiedGroupKFold

    y = np.asarray(labels)
    folds = max(2, min(folds, len(set(groups))))
    splitter = StratifiedGroupKFold(folds, shuffle=True, random_state=seed)
    return [(train, test) for train, test in splitter.split(np.zeros(len(y)), y,
                                                            np.asarray(groups))]


def cross_validate(features: np.ndarray, labels: Sequence[str], *, c: float,
                   folds: int = 5, seed: int = 0,
                   texts: Sequence[str] | None = None,
                   groups: Sequence[str] | None = None) -> dict[str, Any]:
    """Out-of-fold predictions from stratified folds grouped by ``groups``
    (default: each post's ``near_duplicate_key`` when ``texts`` are given,
    else each post its own group), scored. With ``texts``, each fold also
    fits the text head and averages the two, as predicting does."""
    from nlp import text_head

    y = np.asarray(labels)
    if groups is None:
        groups = ([near_duplicate_key(t) for t in texts] if texts is not None
                  else [str(i) for i in range(len(y))])
    smallest = min(Counter(labels).values())
    splits = grouped_folds(labels, groups, max(2, min(folds, smallest)), seed)
    folds = len(splits)
    pred = np.empty(len(y), dtype=object)
    for train_idx, test_idx in splits:
        head = fit_head(features[train_idx], list(y[train_idx]), c=c, seed=seed)
        if texts is None:
            pred[test_idx] = head.predict(features[test_idx])[0]
            continue
        other = text_head.fit_text_head([texts[i] for i in train_idx], list(y[train_idx]))
        probs = text_head.average(head.scores(features[test_idx]),
                                  other.scores([texts[i] for i in test_idx]))
        pred[test_idx] = [head.classes[i] for i in probs.argmax(axis=1)]
    figures = evaluate([str(v) for v in y], [str(v) for v in pred])
    figures["folds"] = folds
    return figures


def train(features: np.ndarray, labels: Sequence[str], *, folds: int = 5,
          seed: int = 0, groups: Sequence[str] | None = None,
          ) -> tuple[LinearHead, dict[str, Any], float]:
    """Pick C by cross-validated macro-F1 (folds grouped by ``groups``: see
    ``cross_validate``), then fit on everything."""
    if len(set(labels)) < 2:
        raise ValueError("training needs at least two different labels")
    best: tuple[float, dict[str, Any]] | None = None
    for c in C_GRID:
        figures = cross_validate(features, labels, c=c, folds=folds, seed=seed,
                                 groups=groups)
        if best is None or figures["macro_f1"] > best[1]["macro_f1"]:
            best = (c, figures)
    assert best is not None
    c, figures = best
    return fit_head(features, labels, c=c, seed=seed), figures, c


def train_with_text_head(features: np.ndarray, texts: Sequence[str], labels: Sequence[str],
                         *, folds: int = 5, seed: int = 0,
                         ) -> tuple[LinearHead, TextHead, dict[str, Any], float]:
    """The embedding head as in ``train``, plus the text head; the figures are
    cross-validated for the averaged pair. Folds are grouped by each post's
    ``near_duplicate_key``."""
    from nlp.text_head import fit_text_head

    groups = [near_duplicate_key(t) for t in texts]
    head, _, c = train(features, labels, folds=folds, seed=seed, groups=groups)
    figures = cross_validate(features, labels, c=c, folds=folds, seed=seed, texts=texts,
                             groups=groups)
    return head, fit_text_head(texts, labels, seed=seed), figures, c


def save(data_dir: Path, name: str, task: str, head: LinearHead, *, feature_spec: str,
         embed_model_id: str, n_train: int, data: str, metrics: dict[str, Any],
         c: float, label_counts: dict[str, int],
         text: TextHead | None = None) -> tuple[str, dict[str, Any]]:
    """Save ``head`` as the next version of ``name``; returns (version, card)."""
    version = cards.next_version(data_dir, name)
    folder = cards.classifier_dir(data_dir, name, version)
    weights = head.save(folder)
    digest = hashlib.sha256(weights.read_bytes()).hexdigest()
    card: dict[str, Any] = {
        "name": name,
        "version": version,
        "task": task,
        "model_id": f"{embed_model_id}+{feature_spec}+head:{digest[:12]}",
        "trained_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "n_train": n_train,
        "data": data,
        "label_counts": label_counts,
        "classes": head.classes,
        "features": feature_spec,
        "embedding_model": embed_model_id,
        "head": {"type": "logistic_regression", "C": c, "standardised": True,
                 "sha256": digest},
        "metrics": {k: metrics[k] for k in ("accuracy", "macro_f1", "per_class",
                                             "labels", "confusion", "folds")},
        "metrics_note": f"{metrics['folds']}-fold stratified cross-validation on the"
                        " training data, folds grouped by near-duplicate text (C chosen on"
                        " the same folds: slightly optimistic)",
    }
    if text is not None:
        from nlp import text_head

        text_path = text.save(folder)
        card["text_head"] = {
            "type": "tfidf char_wb 2-5, logistic_regression", "C": text_head.C,
            "weight": text_head.WEIGHT, "n_features": len(text.vocabulary),
            "sha256": hashlib.sha256(text_path.read_bytes()).hexdigest(),
        }
    cards.write_card(folder, card)
    return version, card

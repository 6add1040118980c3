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
# trainer v2's grid for the embedding head: without C above 0.1, the fits that cost most (slow
# to converge on hundreds of standardised columns); on the civic dev set the MiniLM head alone
# peaked at 0.03 (0.694; 0.3: 0.663, 1.0: 0.643; docs/nlp.md)
C_GRID_V2 = (0.003, 0.01, 0.03, 0.1)
WEIGHT_GRID = (0.3, 0.4, 0.5, 0.6, 0.7)  # the text head's share in the average (trainer v2)
TRAINER = 2  # with a text head: C and its weight chosen together, text head v2
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
    import warnings

    from sklearn.model_selection import StratifiedGroupKFold

    y = np.asarray(labels)
    folds = max(2, min(folds, len(set(groups))))
    splitter = StratifiedGroupKFold(folds, shuffle=True, random_state=seed)
    with warnings.catch_warnings():  # a class with fewer posts than folds: said in the card
        warnings.filterwarnings("ignore", message="The least populated class")
        return [(train, test) for train, test in splitter.split(np.zeros(len(y)), y,
                                                                np.asarray(groups))]


def _fold_count(labels: Sequence[str], folds: int) -> int:
    """Trainer v1: no more folds than the rarest class has posts (at least 2)."""
    return max(2, min(folds, min(Counter(labels).values())))


def cross_validate(features: np.ndarray, labels: Sequence[str], *, c: float,
                   folds: int = 5, seed: int = 0,
                   texts: Sequence[str] | None = None,
                   groups: Sequence[str] | None = None) -> dict[str, Any]:
    """Trainer v1: out-of-fold predictions from stratified folds grouped by
    ``groups`` (default: each post's ``near_duplicate_key`` when ``texts``
    are given, else each post its own group), scored. With ``texts``, each
    fold also fits a v1 text head and averages the two half and half."""
    from nlp import text_head

    y = np.asarray(labels)
    if groups is None:
        groups = ([near_duplicate_key(t) for t in texts] if texts is not None
                  else [str(i) for i in range(len(y))])
    splits = grouped_folds(labels, groups, _fold_count(labels, folds), seed)
    folds = len(splits)
    pred = np.empty(len(y), dtype=object)
    for train_idx, test_idx in splits:
        head = fit_head(features[train_idx], list(y[train_idx]), c=c, seed=seed)
        if texts is None:
            pred[test_idx] = head.predict(features[test_idx])[0]
            continue
        other = text_head.fit_text_head([texts[i] for i in train_idx], list(y[train_idx]),
                                        version=1)
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


def _in_columns(probs: np.ndarray, fitted: Sequence[str], classes: Sequence[str]
                ) -> np.ndarray:
    """A fold model's probabilities in the columns of every class (a class
    its training part lacked gets 0)."""
    out = np.zeros((len(probs), len(classes)))
    out[:, [list(classes).index(c) for c in fitted]] = probs
    return out


def out_of_fold(features: np.ndarray, texts: Sequence[str], labels: Sequence[str],
                splits: Sequence[tuple[np.ndarray, np.ndarray]], *,
                c_grid: Sequence[float] = C_GRID_V2, seed: int = 0,
                ) -> tuple[dict[float, np.ndarray], np.ndarray]:
    """Held-out class probabilities (columns: the sorted classes) of the
    embedding head at each C and of the text head, each post scored by the
    fold that held it out: the text head is fitted once per fold, whatever C."""
    from nlp.text_head import fit_text_head

    y = np.asarray(labels)
    classes = sorted(set(labels))
    emb = {c: np.zeros((len(y), len(classes))) for c in c_grid}
    text = np.zeros((len(y), len(classes)))
    for train_idx, test_idx in splits:
        train_labels = [str(v) for v in y[train_idx]]
        fitted = fit_text_head([texts[i] for i in train_idx], train_labels, seed=seed)
        text[test_idx] = _in_columns(fitted.scores([texts[i] for i in test_idx]),
                                     fitted.classes, classes)
        for c in c_grid:
            head = fit_head(features[train_idx], train_labels, c=c, seed=seed)
            emb[c][test_idx] = _in_columns(head.scores(features[test_idx]), head.classes,
                                           classes)
    return emb, text


def choose(emb: dict[float, np.ndarray], text: np.ndarray, labels: Sequence[str],
           weights: Sequence[float] = WEIGHT_GRID) -> tuple[float, float, dict[str, Any]]:
    """The (C, text head weight) whose averaged held-out probabilities give
    the best macro-F1 (ties: the smaller C, then the smaller weight), with
    the figures of that pair."""
    classes = sorted(set(labels))
    gold = [str(v) for v in labels]
    best: tuple[float, float, dict[str, Any]] | None = None
    for c, probs in emb.items():
        for weight in weights:
            mixed = (1.0 - weight) * probs + weight * text
            figures = evaluate(gold, [classes[i] for i in mixed.argmax(axis=1)])
            if best is None or figures["macro_f1"] > best[2]["macro_f1"]:
                best = (c, weight, figures)
    assert best is not None
    return best


def train_with_text_head(features: np.ndarray, texts: Sequence[str], labels: Sequence[str],
                         *, folds: int = 5, seed: int = 0,
                         ) -> tuple[LinearHead, TextHead, dict[str, Any], dict[str, float]]:
    """Trainer v2: the embedding head and the text head (v2), with the
    embedding head's C and the text head's share in the average chosen
    together by grouped cross-validation (``out_of_fold``, ``choose``; folds
    grouped by each post's ``near_duplicate_key``, as many as asked even when
    a class has fewer posts), then both fitted on everything. Returns the
    heads, the cross-validated figures of the chosen pair, and the settings
    ``{"C": ..., "text_weight": ...}``."""
    from nlp.text_head import fit_text_head

    if len(set(labels)) < 2:
        raise ValueError("training needs at least two different labels")
    groups = [near_duplicate_key(t) for t in texts]
    splits = grouped_folds(labels, groups, folds, seed)
    emb, text = out_of_fold(features, texts, labels, splits, seed=seed)
    c, weight, figures = choose(emb, text, labels)
    figures["folds"] = len(splits)
    return (fit_head(features, labels, c=c, seed=seed), fit_text_head(texts, labels, seed=seed),
            figures, {"C": c, "text_weight": weight})


def save(data_dir: Path, name: str, task: str, head: LinearHead, *, feature_spec: str,
         embed_model_id: str, n_train: int, data: str, metrics: dict[str, Any],
         c: float, label_counts: dict[str, int],
         text: TextHead | None = None, text_weight: float | None = None,
         ) -> tuple[str, dict[str, Any]]:
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
        blocks = "char_wb 2-5" + (" + word 1-2" if text.version >= 2 else "")
        card["trainer"] = TRAINER
        card["text_head"] = {
            "type": f"tfidf {blocks}, logistic_regression", "version": text.version,
            "C": text_head.C,
            "weight": text_head.WEIGHT if text_weight is None else text_weight,
            "n_features": text.n_features,
            "sha256": hashlib.sha256(text_path.read_bytes()).hexdigest(),
        }
        card["metrics_note"] = (
            f"{metrics['folds']}-fold stratified cross-validation on the training data,"
            " folds grouped by near-duplicate text (C and the text head's weight chosen"
            " on the same folds: slightly optimistic)")
    cards.write_card(folder, card)
    return version, card

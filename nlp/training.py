"""Training a head on labelled posts, with cross-validated scores, and
saving it as a new versioned classifier with its model card."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from nlp import cards
from nlp.decision import Decision, class_shares
from nlp.heads import LinearHead, fit_head
from nlp.metrics import evaluate
from nlp.text_head import TextHead

C_GRID = (0.003, 0.01, 0.03, 0.1, 0.3, 1.0)
# trainer v2's grid for the embedding head: without C above 0.1, the fits that cost most (slow
# to converge on hundreds of standardised columns); on the civic dev set the MiniLM head alone
# peaked at 0.03 (0.694; 0.3: 0.663, 1.0: 0.643; docs/nlp.md)
C_GRID_V2 = (0.003, 0.01, 0.03, 0.1)
WEIGHT_GRID = (0.3, 0.4, 0.5, 0.6, 0.7)  # the text head's share in the average (trainer v2)
# trainer v3's grid: C=0.1 was last or level in every column of trainer v2's table on the
# civic dev set (docs/nlp.md) and is the slowest fit; the nested figure needs 15 fits
C_GRID_V3 = (0.003, 0.01, 0.03)
# trainer v3's decision rule (nlp.decision), chosen on the same held-out probabilities: the
# prior correction's power, then a bias per class (log scale) by coordinate ascent
PRIOR_GRID = (0.0, 0.25, 0.5, 0.75, 1.0)
BIAS_GRID = tuple(round(0.1 * k, 1) for k in range(-10, 11))
BIAS_PASSES = 3
# with a text head: v2 chose C and the text head's weight together (text head v2); v3 also
# chooses the decision rule (prior correction and per-class biases) for macro-F1
TRAINER = 3
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
                c_grid: Sequence[float] = C_GRID_V2, seed: int = 0, text_head: bool = True,
                ) -> tuple[dict[float, np.ndarray], np.ndarray]:
    """Held-out class probabilities (columns: the sorted classes) of the
    embedding head at each C and of the text head, each post scored by the
    fold that held it out: the text head is fitted once per fold, whatever C
    (not at all with ``text_head=False``: its probabilities stay 0)."""
    from nlp.text_head import fit_text_head

    y = np.asarray(labels)
    classes = sorted(set(labels))
    emb = {c: np.zeros((len(y), len(classes))) for c in c_grid}
    text = np.zeros((len(y), len(classes)))
    for train_idx, test_idx in splits:
        train_labels = [str(v) for v in y[train_idx]]
        if text_head:
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


def macro_f1(truth: np.ndarray, pred: np.ndarray, n_classes: int) -> float:
    """Macro-F1 over ``n_classes`` classes of integer labels (as
    ``nlp.metrics.evaluate`` with every class named, unrounded), fast enough
    to run thousands of times on the held-out probabilities."""
    matrix = np.bincount(truth * n_classes + pred, minlength=n_classes * n_classes)
    matrix = matrix.reshape(n_classes, n_classes)
    tp = np.diag(matrix).astype(float)
    both = matrix.sum(axis=0) + matrix.sum(axis=1)  # predicted + gold
    f1 = np.divide(2 * tp, both, out=np.zeros(n_classes), where=both > 0)
    return float(f1.mean())


def _tune_bias(logits: np.ndarray, truth: np.ndarray, grid: Sequence[float] = BIAS_GRID,
               passes: int = BIAS_PASSES) -> tuple[list[float], float]:
    """Per-class biases added to ``logits`` for the best macro-F1, one class
    at a time over ``grid`` (a change only when it improves the figure; ties
    keep the bias nearer 0), ``passes`` rounds or until nothing changes."""
    n = logits.shape[1]
    bias = np.zeros(n)
    best = macro_f1(truth, (logits + bias).argmax(axis=1), n)
    by_size = sorted(grid, key=abs)
    for _ in range(passes):
        changed = False
        for j in range(n):
            for value in by_size:
                if value == bias[j]:
                    continue
                trial = bias.copy()
                trial[j] = value
                score = macro_f1(truth, (logits + trial).argmax(axis=1), n)
                if score > best + 1e-12:
                    best, bias, changed = score, trial, True
        if not changed:
            break
    return [float(b) for b in bias], best


def select(emb: dict[float, np.ndarray], text: np.ndarray, labels: Sequence[str], *,
           weights: Sequence[float] = WEIGHT_GRID, priors: Sequence[float] = PRIOR_GRID,
           bias_grid: Sequence[float] = BIAS_GRID,
           ) -> tuple[float, float, Decision, dict[str, Any]]:
    """Trainer v3's choice on held-out probabilities (columns: the sorted
    classes of ``labels``): the embedding head's C, the text head's weight
    and the prior correction's power by the best macro-F1 over the grid
    (ties: the smaller C, weight, power), then a bias per class
    (``_tune_bias``). Returns C, weight, the decision rule and the figures
    of the held-out predictions under that rule."""
    classes = sorted(set(labels))
    index = {c: i for i, c in enumerate(classes)}
    truth = np.array([index[v] for v in labels])
    shares = class_shares(labels, classes)
    log_shares = np.log(np.asarray(shares))
    best: tuple[float, float, float, float] | None = None  # score, C, weight, prior
    for c, probs in emb.items():
        for weight in weights:
            mixed = np.log(np.maximum((1.0 - weight) * probs + weight * text, 1e-12))
            for prior in priors:
                score = macro_f1(truth, (mixed - prior * log_shares).argmax(axis=1),
                                 len(classes))
                if best is None or score > best[0] + 1e-12:
                    best = (score, c, weight, prior)
    assert best is not None
    _, c, weight, prior = best
    plain = Decision(classes, shares, prior)
    bias, _ = _tune_bias(plain.logits((1.0 - weight) * emb[c] + weight * text), truth,
                         bias_grid)
    decision = Decision(classes, shares, prior, bias)
    pred = decision.logits((1.0 - weight) * emb[c] + weight * text).argmax(axis=1)
    figures = evaluate([str(v) for v in labels], [classes[i] for i in pred])
    return c, weight, decision, figures


def trainer_splits(texts: Sequence[str], labels: Sequence[str], folds: int = 5, seed: int = 0,
                   groups: Sequence[str] | None = None) -> list[tuple[np.ndarray, np.ndarray]]:
    """The folds ``train_with_text_head`` cross-validates on (``groups``:
    default each post's ``near_duplicate_key``)."""
    if groups is None:
        groups = [near_duplicate_key(t) for t in texts]
    return grouped_folds(labels, groups, folds, seed)


def train_with_text_head(features: np.ndarray, texts: Sequence[str], labels: Sequence[str],
                         *, folds: int = 5, seed: int = 0, trainer: int = TRAINER,
                         groups: Sequence[str] | None = None,
                         ) -> tuple[LinearHead, TextHead, dict[str, Any], dict[str, Any]]:
    """The embedding head and the text head (v2), chosen by grouped
    cross-validation (``out_of_fold``; folds grouped by ``groups``, default
    each post's ``near_duplicate_key``, as many as asked even when a class
    has fewer posts), then both fitted on everything.

    - trainer v2: the embedding head's C and the text head's share in the
      average, chosen together (``choose``);
    - trainer v3: those and the decision rule (prior correction and a bias
      per class, ``select``; ``nlp.decision``), all on the same held-out
      probabilities.

    Returns the heads, the cross-validated figures of the choice, and the
    settings ``{"C": ..., "text_weight": ..., "decision": Decision | None}``."""
    from nlp.text_head import fit_text_head

    if len(set(labels)) < 2:
        raise ValueError("training needs at least two different labels")
    if trainer not in (2, 3):
        raise ValueError(f"trainer v{trainer} is not known with a text head (2 or 3)")
    splits = trainer_splits(texts, labels, folds, seed, groups)
    emb, text = out_of_fold(features, texts, labels, splits, seed=seed,
                            c_grid=C_GRID_V2 if trainer == 2 else C_GRID_V3)
    decision: Decision | None = None
    if trainer == 2:
        c, weight, figures = choose(emb, text, labels)
    else:
        c, weight, decision, figures = select(emb, text, labels)
    figures["folds"] = len(splits)
    return (fit_head(features, labels, c=c, seed=seed), fit_text_head(texts, labels, seed=seed),
            figures, {"C": c, "text_weight": weight, "decision": decision})


Split = tuple[np.ndarray, np.ndarray]
# one fit: the heads fitted on a split's first part, their probabilities on its second
# ({"text": ..., "emb_<C>": ...}, rows in the second part's order, columns every class)
Fits = Callable[[list[Split]], list[dict[str, np.ndarray]]]


def nested_cross_validate(labels: Sequence[str], folds: list[Split], fits: Fits,
                          c_grid: Sequence[float] = C_GRID_V3) -> dict[str, Any]:
    """Trainer v3 judged by nested cross-validation over ``folds``. For each
    outer fold k, ``select`` chooses every setting on held-out probabilities
    of the other folds only, each fold j scored by heads fitted on the folds
    other than j and k (a 4-fold inner cross-validation inside k's training
    part, whose folds are the other outer folds: the fits on all but two
    folds serve every outer fold); then the heads fitted on all but k score
    k under that choice. Fold k's posts never train a head whose
    probabilities pick a setting, and its labels never pick one.

    Returns ``predictions`` (each post's label from the fold that held it
    out), per fold ``scores`` (macro-F1 over every class), ``chosen`` (C,
    weight, Decision, inner figures) and ``whole``: the choice on the whole
    set from the outer fits' held-out probabilities (what the trainer would
    choose on these folds)."""
    from itertools import combinations

    y = np.asarray(labels)
    classes = sorted(set(labels))
    n = len(folds)
    tests = [np.sort(te) for _, te in folds]
    pairs = list(combinations(range(n), 2))
    work: list[Split] = [(np.sort(tr), te) for (tr, _), te in zip(folds, tests, strict=True)]
    work += [(np.sort(np.concatenate([tests[j] for j in range(n) if j not in pair])),
              np.sort(np.concatenate([tests[j] for j in pair]))) for pair in pairs]
    units = fits(work)

    def held_out(parts: list[tuple[dict[str, np.ndarray], np.ndarray]], rows: np.ndarray,
                 columns: list[int]) -> tuple[dict[float, np.ndarray], np.ndarray]:
        where = np.searchsorted(rows, np.concatenate([idx for _, idx in parts]))
        text = np.concatenate([u["text"] for u, _ in parts])[:, columns]
        emb = {c: np.zeros((len(rows), len(columns))) for c in c_grid}
        for c in c_grid:
            emb[c][where] = np.concatenate([u[f"emb_{c}"] for u, _ in parts])[:, columns]
        out = np.zeros((len(rows), len(columns)))
        out[where] = text
        return emb, out

    everything = np.arange(len(y))
    emb, text = held_out([(units[k], tests[k]) for k in range(n)], everything,
                         list(range(len(classes))))
    whole = select(emb, text, labels)
    predictions = np.empty(len(y), dtype=object)
    v2 = np.empty(len(y), dtype=object)
    scores: list[float] = []
    v2_scores: list[float] = []
    chosen: list[tuple[float, float, Decision, dict[str, Any]]] = []
    v2_chosen: list[tuple[float, float]] = []
    for k in range(n):
        train_idx = work[k][0]
        parts = []
        for j in range(n):
            if j != k:
                u = n + pairs.index((min(j, k), max(j, k)))
                rows = np.searchsorted(work[u][1], tests[j])
                parts.append(({key: v[rows] for key, v in units[u].items()}, tests[j]))
        fold_classes = sorted(set(y[train_idx]))
        columns = [classes.index(c) for c in fold_classes]
        emb_k, text_k = held_out(parts, train_idx, columns)
        c, weight, decision, figures = select(emb_k, text_k, [str(v) for v in y[train_idx]])
        probs = ((1.0 - weight) * units[k][f"emb_{c}"][:, columns]
                 + weight * units[k]["text"][:, columns])
        predictions[tests[k]] = np.array(fold_classes)[decision.logits(probs).argmax(axis=1)]
        scores.append(float(evaluate([str(v) for v in y[tests[k]]],
                                     [str(v) for v in predictions[tests[k]]],
                                     classes)["macro_f1"]))
        chosen.append((c, weight, decision, figures))
        # trainer v2's choice on the same probabilities, for comparison
        c2, w2, _ = choose(emb_k, text_k, [str(v) for v in y[train_idx]])
        mixed = (1.0 - w2) * units[k][f"emb_{c2}"][:, columns] + w2 * units[k]["text"][:, columns]
        v2[tests[k]] = np.array(fold_classes)[mixed.argmax(axis=1)]
        v2_scores.append(float(evaluate([str(v) for v in y[tests[k]]],
                                        [str(v) for v in v2[tests[k]]], classes)["macro_f1"]))
        v2_chosen.append((c2, w2))
    return {"predictions": predictions, "scores": scores, "chosen": chosen, "whole": whole,
            "fits": len(work), "v2_predictions": v2, "v2_scores": v2_scores,
            "v2_chosen": v2_chosen}


def save(data_dir: Path, name: str, task: str, head: LinearHead, *, feature_spec: str,
         embed_model_id: str, n_train: int, data: str, metrics: dict[str, Any],
         c: float, label_counts: dict[str, int],
         text: TextHead | None = None, text_weight: float | None = None,
         decision: Decision | None = None,
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
        card["trainer"] = 3 if decision is not None else 2
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
    if decision is not None:
        if decision.classes != head.classes:
            raise ValueError("the decision rule and the head disagree on classes")
        card["decision"] = decision.to_card()
        card["metrics_note"] = (
            f"{metrics['folds']}-fold stratified cross-validation on the training data,"
            " folds grouped by near-duplicate text; C, the text head's weight, the prior"
            " correction and the per-class biases chosen on the same folds (optimistic:"
            " the grouped nested figure in docs/nlp.md is the one to quote)")
    cards.write_card(folder, card)
    return version, card

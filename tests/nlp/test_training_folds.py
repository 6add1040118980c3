"""``listener train`` picks C by folds that never split a group of
near-duplicate posts (issue 13): a near-duplicate of a training post must
not score the model."""

from __future__ import annotations

import numpy as np
import pytest

from nlp import training

pytest.importorskip("sklearn")


def _posts() -> tuple[list[str], list[str]]:
    texts, labels = [], []
    for i in range(40):
        label = ("bins", "roads", "lights")[i % 3]
        base = f"complaint number {i} about the {label}"
        # each post comes in near-duplicate copies: case, punctuation, spacing
        for copy in (base, base.upper() + "!!", f"  {base}...", base.replace(" ", "  ")):
            texts.append(copy)
            labels.append(label)
    return texts, labels


def test_near_duplicates_share_a_key() -> None:
    key = training.near_duplicate_key
    assert key("Garbage  dumped!!") == key("garbage dumped") == "garbage dumped"
    assert key("Please clean ???? it") == key("please clean it")
    assert key("Street lights not working") != key("Street light not working")


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_grouped_folds_never_split_a_group(seed: int) -> None:
    texts, labels = _posts()
    groups = [training.near_duplicate_key(t) for t in texts]
    folds = training.grouped_folds(labels, groups, 5, seed)
    assert len(folds) == 5
    held = np.concatenate([test for _, test in folds])
    assert sorted(held.tolist()) == list(range(len(texts)))  # every post held out once
    for train_idx, test_idx in folds:
        assert not {groups[i] for i in train_idx} & {groups[i] for i in test_idx}
        assert {labels[i] for i in test_idx} == {"bins", "roads", "lights"}  # stratified


def test_cross_validation_groups_by_text(monkeypatch: pytest.MonkeyPatch) -> None:
    texts, labels = _posts()
    seen: list[list[str]] = []
    real = training.grouped_folds

    def spy(labels: list[str], groups: list[str], folds: int = 5, seed: int = 0
            ) -> list[tuple[np.ndarray, np.ndarray]]:
        seen.append(list(groups))
        return real(labels, groups, folds, seed)

    monkeypatch.setattr(training, "grouped_folds", spy)
    rng = np.random.default_rng(0)
    features = rng.normal(size=(len(texts), 8))
    _, _, figures, chosen = training.train_with_text_head(features, texts, labels, folds=3)
    assert seen == [[training.near_duplicate_key(t) for t in texts]]  # one split, grouped
    assert figures["folds"] == 3
    assert chosen["C"] in training.C_GRID and chosen["text_weight"] in training.WEIGHT_GRID


def test_the_text_heads_weight_is_chosen_by_the_held_out_figures() -> None:
    labels = ["a", "b", "c"] * 20
    truth = np.array([("a", "b", "c").index(v) for v in labels])
    right = np.full((len(labels), 3), 0.15)
    right[np.arange(len(labels)), truth] = 0.7
    wrong = np.eye(3)[(truth + 1) % 3]  # sure, and always wrong
    # the text head right, the embedding head wrong: only the largest share is right
    c, weight, figures = training.choose({0.1: wrong, 1.0: wrong}, right, labels)
    assert (c, weight, figures["macro_f1"]) == (0.1, max(training.WEIGHT_GRID), 1.0)
    # and the other way round: the smallest share, at the C whose head is right
    c, weight, figures = training.choose({0.1: wrong, 1.0: right}, wrong, labels)
    assert (c, weight, figures["macro_f1"]) == (1.0, min(training.WEIGHT_GRID), 1.0)


def test_out_of_fold_scores_each_post_by_the_fold_that_held_it_out() -> None:
    texts, labels = _posts()
    groups = [training.near_duplicate_key(t) for t in texts]
    splits = training.grouped_folds(labels, groups, 4)
    features = np.array([[("bins", "roads", "lights").index(v), 1.0] for v in labels])
    emb, text = training.out_of_fold(features, texts, labels, splits, c_grid=(1.0,))
    classes = sorted(set(labels))
    assert emb[1.0].shape == text.shape == (len(texts), 3)
    assert np.allclose(text.sum(axis=1), 1.0) and np.allclose(emb[1.0].sum(axis=1), 1.0)
    # the feature names the class: every held-out post is right
    assert [classes[i] for i in emb[1.0].argmax(axis=1)] == labels

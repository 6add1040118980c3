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
    _, _, figures, c = training.train_with_text_head(features, texts, labels, folds=3)
    assert seen and all(g == [training.near_duplicate_key(t) for t in texts] for g in seen)
    assert len(seen) == len(training.C_GRID) + 1  # each C, then the chosen pair
    assert figures["folds"] == 3 and c in training.C_GRID

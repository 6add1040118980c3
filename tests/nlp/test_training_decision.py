"""Trainer v3 (issue 13): the decision rule (prior correction, per-class
biases) chosen on held-out probabilities, recorded in the card, applied at
prediction; and the nested cross-validation that judges it never lets the
scored fold choose a setting."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from nlp import training
from nlp.decision import Decision, class_shares
from nlp.metrics import evaluate


def test_fast_macro_f1_is_the_evaluate_figure() -> None:
    rng = np.random.default_rng(0)
    classes = ["a", "b", "c", "d"]
    for _ in range(20):
        truth = rng.integers(0, 4, 200)
        pred = np.where(rng.random(200) < 0.6, truth, rng.integers(0, 3, 200))  # d rarely
        want = evaluate([classes[i] for i in truth], [classes[i] for i in pred], classes)
        assert training.macro_f1(truth, pred, 4) == pytest.approx(want["macro_f1"], abs=5e-5)


def test_the_prior_correction_and_a_bias_move_the_label() -> None:
    probs = np.array([[0.6, 0.4], [0.9, 0.1]])
    plain = Decision(["common", "rare"], [0.9, 0.1])
    assert np.array_equal(plain.scores(probs), probs)  # no correction: the probabilities
    tilted = Decision(["common", "rare"], [0.9, 0.1], prior=0.5)
    # 0.6 / 0.9**0.5 = 0.63 < 0.4 / 0.1**0.5 = 1.26: the borderline post goes to the rare class
    assert tilted.logits(probs).argmax(axis=1).tolist() == [1, 0]
    assert np.allclose(tilted.scores(probs).sum(axis=1), 1.0)
    assert tilted.scores(probs)[0, 1] == pytest.approx(1.26 / (1.26 + 0.632), abs=1e-3)
    biased = Decision(["common", "rare"], [0.9, 0.1], bias=[0.0, 2.5])
    assert biased.logits(probs).argmax(axis=1).tolist() == [1, 1]
    again = Decision.from_card(["common", "rare"], tilted.to_card())
    assert again == Decision(["common", "rare"], [0.9, 0.1], 0.5, [0.0, 0.0])


def _under_predicted(seed: int = 0) -> tuple[list[str], np.ndarray]:
    """Held-out probabilities that favour the common class: the rare class's
    posts get it second, most of the time."""
    rng = np.random.default_rng(seed)
    labels = ["common"] * 300 + ["rare"] * 30 + ["other"] * 70
    classes = sorted(set(labels))
    probs = np.zeros((len(labels), 3))
    for row, label in enumerate(labels):
        if label == "rare":
            p_rare = rng.uniform(0.2, 0.45)
            probs[row, classes.index("rare")] = p_rare
            probs[row, classes.index("common")] = 0.9 - p_rare
        else:
            probs[row, classes.index(label)] = rng.uniform(0.6, 0.9)
            probs[row, classes.index("rare")] = rng.uniform(0.0, 0.1)
        probs[row, probs[row] == 0] = 1.0 - probs[row].sum()
    return labels, probs


def test_select_tilts_towards_an_under_predicted_class() -> None:
    labels, probs = _under_predicted()
    _, _, before = training.choose({0.1: probs}, probs, labels)
    assert before["per_class"]["rare"]["recall"] < 0.2
    _, _, decision, figures = training.select({0.1: probs}, probs, labels)
    assert decision.prior > 0 or any(decision.bias)
    assert figures["per_class"]["rare"]["recall"] > 0.8
    assert figures["macro_f1"] > before["macro_f1"] + 0.2
    assert decision.shares == class_shares(labels, decision.classes)


def test_a_bias_alone_lifts_the_under_predicted_class() -> None:
    labels, probs = _under_predicted(1)
    _, _, decision, figures = training.select({0.1: probs}, probs, labels, priors=(0.0,))
    bias = dict(zip(decision.classes, decision.bias, strict=True))
    assert decision.prior == 0.0 and bias["rare"] > max(bias["common"], bias["other"])
    assert figures["per_class"]["rare"]["recall"] > 0.8


def test_select_leaves_a_rule_alone_that_needs_no_correction() -> None:
    labels = ["a", "b", "c"] * 30
    truth = np.array([("a", "b", "c").index(v) for v in labels])
    probs = np.full((len(labels), 3), 0.1)
    probs[np.arange(len(labels)), truth] = 0.8
    _, _, decision, figures = training.select({0.1: probs}, probs, labels)
    assert (decision.prior, decision.bias, figures["macro_f1"]) == (0.0, [0.0] * 3, 1.0)


def _folds(labels: list[str], n: int = 5) -> list[tuple[np.ndarray, np.ndarray]]:
    return training.grouped_folds(labels, [str(i) for i in range(len(labels))], n)


def test_nested_cv_picks_nothing_with_a_head_that_saw_the_scored_fold() -> None:
    """A planted leak: any head fitted with fold 1 in its training part has
    a perfect embedding head on every post it scores (and a text head always
    wrong), any other the reverse. Nested, fold 1's settings are chosen on
    heads that never saw it (text head right), so fold 1 is scored right;
    a choice made with a head that saw fold 1 would trust the embedding head
    and score fold 1 wrong."""
    labels = ["a", "b", "c"] * 40
    folds = _folds(labels)
    first = set(folds[0][1].tolist())
    truth = np.array([("a", "b", "c").index(v) for v in labels])
    seen: list[tuple[np.ndarray, np.ndarray]] = []

    def fits(work: list[tuple[np.ndarray, np.ndarray]]) -> list[dict[str, np.ndarray]]:
        out = []
        for train_idx, test_idx in work:
            seen.append((train_idx, test_idx))
            right = np.eye(3)[truth[test_idx]]
            wrong = np.eye(3)[(truth[test_idx] + 1) % 3]
            leaked = bool(first & set(train_idx.tolist()))
            emb, text = (right, wrong) if leaked else (wrong, right)
            out.append({"text": text, **{f"emb_{c}": emb for c in training.C_GRID_V3}})
        return out

    result = training.nested_cross_validate(labels, folds, fits)
    assert result["scores"][0] == 1.0
    assert result["chosen"][0][1] > 0.5  # trusts the text head
    for train_idx, test_idx in seen:  # no fit scores a post it was trained on
        assert not set(train_idx.tolist()) & set(test_idx.tolist())
    assert len(seen) == result["fits"] == 5 + 10


def test_nested_cv_chooses_on_the_training_part_labels_only(
        monkeypatch: pytest.MonkeyPatch) -> None:
    labels = ["a", "b", "c", "a"] * 25
    folds = _folds(labels)
    got: list[list[str]] = []
    real = training.select

    def spy(emb: dict[float, np.ndarray], text: np.ndarray, labels: list[str],
            **kw: Any) -> Any:
        got.append(list(labels))
        return real(emb, text, labels, **kw)

    monkeypatch.setattr(training, "select", spy)
    rng = np.random.default_rng(1)

    def fits(work: list[tuple[np.ndarray, np.ndarray]]) -> list[dict[str, np.ndarray]]:
        return [{"text": rng.dirichlet(np.ones(3), len(te)),
                 **{f"emb_{c}": rng.dirichlet(np.ones(3), len(te))
                    for c in training.C_GRID_V3}} for _, te in work]

    training.nested_cross_validate(labels, folds, fits)
    assert got[0] == labels  # the whole set: what the trainer would choose
    for (train_idx, _), chosen_on in zip(folds, got[1:], strict=True):
        assert chosen_on == [labels[i] for i in sorted(train_idx)]


def test_trainer_v3_card_records_the_rule_and_prediction_applies_it(
        tmp_path: Path, tiny_bert: Path) -> None:
    pytest.importorskip("sklearn")
    from nlp.text_head import average
    from nlp.trained import load_trained
    from nlp.workflows import train_from_csv

    rows = [(f"bins not collected on street {i}", "bins") for i in range(30)]
    rows += [(f"pothole on road {i}", "roads") for i in range(12)]
    rows += [(f"street light {i} is dark", "lights") for i in range(6)]
    data = tmp_path / "topics.csv"
    with data.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([("text", "label"), *rows])
    card = train_from_csv(data, "topic", tmp_path, features="minilm+tfidf",
                          model_path=str(tiny_bert), folds=3)
    assert card["trainer"] == 3
    rule = card["decision"]
    assert rule["prior"] in training.PRIOR_GRID
    assert rule["class_shares"] == {"bins": round(30 / 48, 6), "lights": round(6 / 48, 6),
                                    "roads": round(12 / 48, 6)}
    assert set(rule["bias"]) == {"bins", "lights", "roads"}
    assert "nested" in card["metrics_note"]

    # prediction applies the card's rule: a rule that always says "lights" says it
    rule.update(prior=0.0, bias={"bins": 0.0, "lights": 50.0, "roads": 0.0})
    folder = tmp_path / "classifiers/topics.head/v1"
    (folder / "card.json").write_text(json.dumps(card))
    clf = load_trained(tmp_path, "topics.head", model_path=str(tiny_bert))
    new = ["bins not collected", "a pothole on the road"]
    labels, scores = clf.predict(new)
    assert labels == ["lights", "lights"] and all(s > 0.99 for s in scores)
    # without the rule (a card from trainer v2): the averaged probabilities, as before
    del card["decision"]
    (folder / "card.json").write_text(json.dumps(card))
    clf = load_trained(tmp_path, "topics.head", model_path=str(tiny_bert))
    assert clf.text is not None
    expected = average(clf.head.scores(clf.featurizer(new)), clf.text.scores(new),
                       clf.text_weight)
    assert np.allclose(clf.predict(new)[1], expected.max(axis=1))

"""train -> saved versioned head with a model card -> eval, through the real
CLI, on a small labelled file the test writes (embeddings from a tiny BERT the
test builds, so no model is downloaded or bundled)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from nlp.cards import load_card, load_evals
from nlp.config import NlpSettings
from nlp.workflows import classifier_for, eval_csv, save_eval, train_from_csv
from tests.cli import Cli

POSITIVE = ["lovely park, thanks so much", "great service, love it", "brilliant, thank you",
            "the park is lovely and wonderful", "so happy with the great service",
            "thanks, really excellent help", "love the new park", "wonderful, great work"]
NEGATIVE = ["awful, bins not collected again", "terrible service, I hate it",
            "the road is broken and awful", "horrible, disgusting mess",
            "worst service ever, terrible", "I hate this broken road", "awful awful awful",
            "angry and sad about the bins"]


def write_labels(path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["post_id", "text", "label"])
        for i, text in enumerate(POSITIVE):
            writer.writerow([i, text, "positive"])
        for i, text in enumerate(NEGATIVE):
            writer.writerow([100 + i, text, "negative"])
        writer.writerow([999, "not labelled yet", ""])


def test_train_then_eval_round_trip(tmp_path: Path, tiny_bert: Path, cli: Cli) -> None:
    data_dir = tmp_path / "data"
    config = tmp_path / "config.yaml"
    config.write_text(
        f"storage:\n  path: {tmp_path / 'db.sqlite'}\n  data_dir: {data_dir}\n"
        f"sources: {{}}\nnlp:\n  embedding_model_path: {tiny_bert}\n  torch_threads: 1\n")
    labels = tmp_path / "labels.csv"
    write_labels(labels)

    first = cli.process("-c", config, "train", "--data", labels, "--task", "sentiment",
                        timeout=600)
    assert first.returncode == 0, first.stderr
    assert "saved sentiment.head v1 (16 posts" in first.stdout
    card = load_card(data_dir, "sentiment.head")
    assert card is not None
    assert card["version"] == "v1" and card["task"] == "sentiment" and card["n_train"] == 16
    assert card["classes"] == ["negative", "positive"]
    assert card["label_counts"] == {"positive": 8, "negative": 8}
    assert card["model_id"].startswith(tiny_bert.name + "+minilm+vader+head:")
    assert 0.0 <= card["metrics"]["macro_f1"] <= 1.0 and card["metrics"]["per_class"]
    assert "labels.csv" in card["data"] and card["trained_at"]

    # a second training (here in-process, same code) is a new version
    second = train_from_csv(labels, "sentiment", data_dir, model_path=str(tiny_bert))
    assert second["version"] == "v2"
    assert (load_card(data_dir, "sentiment.head") or {})["version"] == "v2"
    assert load_card(data_dir, "sentiment.head", "v1") == card  # v1 is never overwritten

    out = tmp_path / "eval.json"
    result = cli.process("-c", config, "eval", "--data", labels, "--task", "sentiment",
                         "--classifier", "sentiment.head.v1", "--out", out, timeout=600)
    assert result.returncode == 0, result.stderr
    assert "macro-F1" in result.stdout and "confusion" in result.stdout
    figures = json.loads(out.read_text())
    assert figures["classifier"] == "sentiment.head" and figures["version"] == "v1"
    assert figures["n"] == 16
    assert sum(map(sum, figures["confusion"])) == 16
    # VADER's scores are features, so this separable set is learnt
    assert figures["accuracy"] >= 0.9

    # without --classifier: the configured default, and the JSON lands beside it
    clf = classifier_for("sentiment", NlpSettings(), {}, data_dir)
    assert clf.name == "sentiment.vader"
    save_eval(data_dir, eval_csv(clf, labels, text_col="text", label_col="label",
                                 task="sentiment"))
    assert load_evals(data_dir, "sentiment.vader", clf.version)[0]["n"] == 16


def test_eval_names_missing_column(tmp_path: Path, cli: Cli) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(f"storage:\n  path: {tmp_path / 'db.sqlite'}\n"
                      f"  data_dir: {tmp_path}\nsources: {{}}\n")
    labels = tmp_path / "labels.csv"
    write_labels(labels)
    result = cli.process("-c", config, "eval", "--data", labels, "--task", "sentiment",
                         "--label-col", "gold", timeout=600)
    assert result.returncode != 0
    assert "no column 'gold'" in result.stderr + result.stdout


@pytest.mark.parametrize("labels", [["a", "a", "a"]])
def test_training_needs_two_classes(labels: list[str]) -> None:
    pytest.importorskip("sklearn")
    import numpy as np

    from nlp.training import train

    with pytest.raises(ValueError, match="two different labels"):
        train(np.zeros((3, 4)), labels)

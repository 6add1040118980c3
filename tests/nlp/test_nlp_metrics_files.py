from __future__ import annotations

from pathlib import Path

import pytest

from nlp.cards import load_card, next_version, write_card
from nlp.metrics import binary_f1, evaluate, format_report
from nlp.modelfiles import MINILM_SHA256, ModelFileError, sha256, verify


def test_metrics_by_hand() -> None:
    gold = ["neg", "neg", "neg", "pos", "pos", "neu"]
    pred = ["neg", "neg", "pos", "pos", "neg", "neu"]
    f = evaluate(gold, pred)
    assert f["accuracy"] == round(4 / 6, 4)
    assert f["per_class"]["neg"] == {"precision": round(2 / 3, 4), "recall": round(2 / 3, 4),
                                     "f1": round(2 / 3, 4), "support": 3}
    assert f["per_class"]["pos"]["f1"] == 0.5 and f["per_class"]["neu"]["f1"] == 1.0
    assert f["macro_f1"] == round((2 / 3 + 0.5 + 1.0) / 3, 4)
    assert f["labels"] == ["neg", "neu", "pos"]
    assert f["confusion"] == [[2, 0, 1], [0, 1, 0], [1, 0, 1]]
    assert binary_f1(gold, pred, "pos") == 0.5
    assert "macro-F1 0.722 (mean F1 over 3 classes: neg, neu, pos)" in format_report(f)
    with pytest.raises(ValueError):
        evaluate(["a"], [])


def test_macro_f1_over_named_classes_and_predicted_only_classes() -> None:
    gold = ["a", "a", "b", "none"]
    pred = ["a", "x", "b", "none"]  # "x" is only ever predicted: it counts, with F1 0
    assert evaluate(gold, pred)["macro_f1"] == round((2 / 3 + 1 + 1 + 0) / 4, 4)
    named = evaluate(gold, pred, ["a", "b", "none", "c"])  # "c": no rows, no predictions
    assert named["macro_f1"] == round((2 / 3 + 1 + 1 + 0) / 4, 4)
    assert named["macro_f1_classes"] == ["a", "b", "c", "none"]
    assert evaluate(gold, pred, ["a", "b"])["macro_f1"] == round((2 / 3 + 1) / 2, 4)
    rows = format_report(evaluate(gold, pred, ["a", "b"])).splitlines()
    assert [r.split()[0] for r in rows if r.endswith("(not in the macro-F1)")] == ["none", "x"]


def test_eval_maps_gold_labels_and_drops_the_rest(tmp_path: Path) -> None:
    from nlp.labelled import LabelledDataError, map_labels, parse_mapping

    mapping = parse_mapping(["Waste/Garbage=bins", "A=B=c"])
    assert mapping == {"Waste/Garbage": "bins", "A=B": "c"}
    assert map_labels(["t1", "t2", "t3"], ["Waste/Garbage", "Air", "A=B"], mapping) == (
        ["t1", "t3"], ["bins", "c"], 1)
    with pytest.raises(LabelledDataError, match="expected GOLD=LABEL"):
        parse_mapping(["bins"])


def test_macro_f1_counts_classes_only_predicted_as_scikit_learn_does() -> None:
    # "spam" is never gold, only predicted: its F1 is 0 and it counts in the mean
    gold = ["neg", "neg", "pos", "pos", "neu", "neu"]
    pred = ["neg", "spam", "pos", "pos", "neu", "neg"]
    f = evaluate(gold, pred)
    assert f["labels"] == ["neg", "neu", "pos", "spam"]
    assert f["per_class"]["spam"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 0}
    assert f["macro_f1"] == round((0.5 + 2 / 3 + 1.0 + 0.0) / 4, 4)
    sklearn = pytest.importorskip("sklearn.metrics")
    assert f["macro_f1"] == round(float(sklearn.f1_score(
        gold, pred, average="macro", zero_division=0)), 4)


def test_model_files_are_refused_on_a_checksum_mismatch(tmp_path: Path) -> None:
    (tmp_path / "config.json").write_text("{}")
    verify(tmp_path, {"config.json": sha256(tmp_path / "config.json")})
    with pytest.raises(ModelFileError, match="does not match"):
        verify(tmp_path, {"config.json": MINILM_SHA256["config.json"]})
    with pytest.raises(ModelFileError, match="missing"):
        verify(tmp_path, {"model.safetensors": MINILM_SHA256["model.safetensors"]})


def test_cards_versions_and_missing(tmp_path: Path) -> None:
    assert load_card(tmp_path, "topics.head") is None
    assert next_version(tmp_path, "topics.head") == "v1"
    folder = tmp_path / "classifiers" / "topics.head" / "v1"
    folder.mkdir(parents=True)
    write_card(folder, {"name": "topics.head", "version": "v1"})
    assert next_version(tmp_path, "topics.head") == "v2"
    assert (load_card(tmp_path, "topics.head") or {})["version"] == "v1"
    assert load_card(tmp_path, "topics.head", "v7") is None
    assert load_card(tmp_path, "../etc", "v1") is None  # names are checked, not joined blindly

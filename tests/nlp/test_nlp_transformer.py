"""The transformers backend with a tiny BERT the test builds and saves."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("torch")
pytest.importorskip("transformers")

from nlp.config import TransformersSettings
from nlp.modelfiles import ModelFileError, sha256
from nlp.transformer import TransformersClassifier

TEXTS = ["the bins", "bins not collected again, the road is awful " * 20, "great thanks",
         "", "road"]


def test_labels_mapped_batched_and_in_input_order(tiny_bert: Path) -> None:
    settings = TransformersSettings(path=str(tiny_bert), batch_size=2, max_length=16,
                                    label_map={"NEG": "negative", "NEU": "neutral",
                                               "POS": "positive"})
    clf = TransformersClassifier(settings)
    out = clf.classify(TEXTS)
    assert [len(x) for x in out] == [1] * len(TEXTS)
    assert {x[0].label for x in out} <= {"negative", "neutral", "positive"}
    # batched, length-sorted and truncated results equal one-at-a-time results
    single = [clf.classify([t])[0][0] for t in TEXTS]
    assert [x[0].label for x in out] == [s.label for s in single]
    assert [x[0].score for x in out] == pytest.approx([s.score for s in single], abs=1e-4)
    lab = out[0][0]
    assert (lab.task, lab.classifier, lab.version) == ("sentiment", "sentiment.transformers",
                                                       "v1")
    assert lab.model_id and lab.model_id.startswith(tiny_bert.name + "@")


def test_labels_from_model_config_when_no_map(tiny_bert: Path) -> None:
    clf = TransformersClassifier(TransformersSettings(path=str(tiny_bert)))
    assert clf.labels == ["neg", "neu", "pos"]


def test_int8_quantized_model_still_labels(tiny_bert: Path) -> None:
    clf = TransformersClassifier(TransformersSettings(path=str(tiny_bert), quantize=True))
    out = clf.classify(TEXTS)
    assert all(len(x) == 1 and 0.0 <= (x[0].score or 0) <= 1.0 for x in out)
    assert out[0][0].model_id and out[0][0].model_id.endswith("+int8")


def test_checksum_mismatch_refuses_to_load(tiny_bert: Path) -> None:
    good = sha256(tiny_bert / "config.json")
    TransformersClassifier(TransformersSettings(path=str(tiny_bert),
                                                sha256={"config.json": good}))
    with pytest.raises(ModelFileError, match="does not match"):
        TransformersClassifier(TransformersSettings(path=str(tiny_bert),
                                                    sha256={"config.json": "0" * 64}))

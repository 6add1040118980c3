"""The transformers backend with a tiny BERT the test builds and saves."""

from __future__ import annotations

from pathlib import Path

import pytest

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")

from nlp.config import TransformersSettings  # noqa: E402
from nlp.modelfiles import ModelFileError, sha256  # noqa: E402
from nlp.transformer import TransformersClassifier  # noqa: E402

WORDS = ["bins", "not", "collected", "great", "thanks", "awful", "road", "the", "is", "again"]


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("tiny-bert")
    vocab = folder / "vocab.txt"
    vocab.write_text("\n".join(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *WORDS]) + "\n")
    tokenizer = transformers.BertTokenizerFast(vocab_file=str(vocab))
    config = transformers.BertConfig(
        vocab_size=len(WORDS) + 5, hidden_size=16, num_hidden_layers=1, num_attention_heads=2,
        intermediate_size=32, max_position_embeddings=64, num_labels=3,
        id2label={0: "NEG", 1: "NEU", 2: "POS"}, label2id={"NEG": 0, "NEU": 1, "POS": 2},
    )
    torch.manual_seed(0)
    model = transformers.BertForSequenceClassification(config)
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


TEXTS = ["the bins", "bins not collected again, the road is awful " * 20, "great thanks",
         "", "road"]


def test_labels_mapped_batched_and_in_input_order(tiny_model: Path) -> None:
    settings = TransformersSettings(path=str(tiny_model), batch_size=2, max_length=16,
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
    assert lab.model_id and lab.model_id.startswith(tiny_model.name + "@")


def test_labels_from_model_config_when_no_map(tiny_model: Path) -> None:
    clf = TransformersClassifier(TransformersSettings(path=str(tiny_model)))
    assert clf.labels == ["neg", "neu", "pos"]


def test_int8_quantized_model_still_labels(tiny_model: Path) -> None:
    clf = TransformersClassifier(TransformersSettings(path=str(tiny_model), quantize=True))
    out = clf.classify(TEXTS)
    assert all(len(x) == 1 and 0.0 <= (x[0].score or 0) <= 1.0 for x in out)
    assert out[0][0].model_id and out[0][0].model_id.endswith("+int8")


def test_checksum_mismatch_refuses_to_load(tiny_model: Path) -> None:
    good = sha256(tiny_model / "config.json")
    TransformersClassifier(TransformersSettings(path=str(tiny_model),
                                                sha256={"config.json": good}))
    with pytest.raises(ModelFileError, match="does not match"):
        TransformersClassifier(TransformersSettings(path=str(tiny_model),
                                                    sha256={"config.json": "0" * 64}))

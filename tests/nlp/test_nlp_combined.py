"""topics.combined: keywords first, the trained head for the posts they miss,
gated by the configured threshold and 'no topic' classes."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

import nlp
from nlp.config import NlpSettings, TopicSpec

TOPICS = {"roads": TopicSpec(label="Roads", terms=["pothole"])}
TRAIN = [("great lovely park thanks", "parks"), ("lovely park love it", "parks"),
         ("the park is great", "parks"), ("thanks for the lovely park", "parks"),
         ("awful service again", "other"), ("terrible service is broken", "other"),
         ("hate the service", "other"), ("service not fixed again", "other")]


@pytest.fixture()
def data_dir(tmp_path: Path, tiny_bert: Path) -> Path:
    from nlp.workflows import train_from_csv

    path = tmp_path / "topics.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["text", "label"])
        writer.writerows(TRAIN)
    train_from_csv(path, "topic", tmp_path, model_path=str(tiny_bert), folds=2)
    return tmp_path


def build(data_dir: Path, tiny_bert: Path, threshold: float,
          none_labels: tuple[str, ...] = ()) -> nlp.Classifier:
    settings = NlpSettings(topic_classifier="topics.combined", learned_topic="topics.head",
                           learned_topic_threshold=threshold, none_labels=list(none_labels),
                           embedding_model_path=str(tiny_bert))
    [topic] = [c for c in nlp.build_classifiers(settings, TOPICS, data_dir)
               if c.task == "topic"]
    return topic


TEXTS = ["a pothole on the park road", "lovely park thanks", "awful service again"]


def test_keywords_first_then_learned_labels_above_threshold(data_dir: Path,
                                                            tiny_bert: Path) -> None:
    out = build(data_dir, tiny_bert, 0.0).classify(TEXTS)
    assert [(lab.label, lab.classifier) for lab in out[0]] == [("roads", "topics.keywords")]
    for labels in out[1:]:  # missed by keywords: the head labels them
        [lab] = labels
        assert (lab.classifier, lab.version) == ("topics.head", "v1")
        assert lab.label in {"parks", "other"} and lab.model_id and (lab.score or 0) >= 0.5
    strict = build(data_dir, tiny_bert, 1.0).classify(TEXTS)
    assert [len(x) for x in strict] == [1, 0, 0]
    no_topic = build(data_dir, tiny_bert, 0.0, none_labels=("parks", "other")).classify(TEXTS)
    assert [len(x) for x in no_topic] == [1, 0, 0]


def test_combined_without_a_trained_head_is_an_error(tmp_path: Path) -> None:
    settings = NlpSettings(topic_classifier="topics.combined")
    with pytest.raises(ValueError, match="learned_topic"):
        nlp.build_classifiers(settings, TOPICS, tmp_path)

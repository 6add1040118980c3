from __future__ import annotations

from pathlib import Path

import pytest

import nlp
from nlp.config import NlpSettings, TopicSpec
from nlp.registry import UnknownClassifierError, classifier, resolve
from nlp.vader import VaderSentiment, polarity

TOPICS = {"potholes": TopicSpec(label="Potholes", terms=["pothole"])}


def test_build_classifiers_default_topic_and_sentiment(tmp_path: Path) -> None:
    built = nlp.build_classifiers(NlpSettings(), TOPICS, tmp_path)
    by_task = {c.task: c for c in built}
    assert set(by_task) >= {"topic", "sentiment"}
    texts = ["This pothole is awful, still waiting for a repair", "Lovely park, thank you!",
             "The meeting is on Tuesday"]
    topic = by_task["topic"].classify(texts)
    senti = by_task["sentiment"].classify(texts)
    assert [[lab.label for lab in x] for x in topic] == [["potholes"], [], []]
    assert [len(x) for x in senti] == [1, 1, 1]
    assert senti[0][0].label == "negative" and senti[1][0].label == "positive"
    assert senti[2][0].label == "neutral"
    for labels in (*topic, *senti):
        for lab in labels:
            assert lab.classifier and lab.version.startswith("v") and lab.model_id


def test_versioned_names_resolve_and_unknown_lists_known() -> None:
    assert resolve("sentiment.vader").version == "v8"  # latest
    assert resolve("sentiment.vader.v1").name == "sentiment.vader"
    assert resolve("topics.keywords@v1").name == "topics.keywords"
    with pytest.raises(UnknownClassifierError, match=r"known: .*sentiment\.vader"):
        resolve("sentiment.nope")
    with pytest.raises(UnknownClassifierError, match="no version v99"):
        resolve("sentiment.vader.v99")


def test_registering_an_existing_version_again_is_refused() -> None:
    resolve("sentiment.vader")
    with pytest.raises(ValueError, match="new version"):
        classifier("sentiment.vader", "v1", task="sentiment")(type("Again", (VaderSentiment,), {}))


def test_vader_thresholds() -> None:
    assert polarity(0.05) == "positive"
    assert polarity(-0.05) == "negative"
    assert polarity(0.049) == "neutral"


def test_describing_the_configured_classifiers_matches_what_is_built(tmp_path) -> None:
    from nlp import build_classifiers, describe_configured
    from nlp.config import NlpSettings, TopicSpec

    settings = NlpSettings(extra_classifiers=["lang.langid"])
    topics = {"bins": TopicSpec(label="Bins", terms=["bin"])}
    built = [(c.name, c.version, c.task) for c in build_classifiers(settings, topics, tmp_path)]
    assert describe_configured(settings, tmp_path) == built

"""A suggestion per theme ("add to topic X" or "consider a new topic") with
a YAML snippet in config.yaml's topics format; c-TF-IDF terms and labels."""

from __future__ import annotations

import dataclasses

import numpy as np
import yaml

from nlp.config import TopicSpec
from nlp.ctfidf import class_tfidf, label_terms, make_label
from nlp.suggestions import NEAR_TOPIC, known_terms, suggest
from nlp.themes import Theme
from nlp.topic_yaml import slug_for, topic_snippet

TOPICS = {"street_lighting": TopicSpec(label="Street lighting", terms=["streetlight"],
                                       phrases=["street light"])}
LABELS = {slug: spec.label for slug, spec in TOPICS.items()}


def theme(terms: tuple[str, ...], topic: str | None, similarity: float | None) -> Theme:
    return Theme(label=make_label(terms), terms=terms, members=tuple(range(12)),
                 centroid=np.ones(3, dtype=np.float32) / np.sqrt(3), cohesion=0.7,
                 representatives=(0, 1, 2), authors=12, nearest_topic=topic,
                 topic_similarity=similarity, topic_evidence="street light")


def test_near_a_topic_says_add_with_only_new_terms() -> None:
    t = theme(("street light", "lamp", "dark", "lamp post", "streetlight"), "street_lighting",
              NEAR_TOPIC + 0.1)
    s = suggest(t, LABELS, known=known_terms(TOPICS))
    assert s.kind == "add" and s.topic == "street_lighting"
    assert s.text.startswith('add to topic "Street lighting"')
    assert "street light" not in s.phrases and "streetlight" not in s.terms
    assert s.phrases == ("lamp post",) and s.terms == ("dark",)
    body = yaml.safe_load(s.yaml)["topics"]["street_lighting"]
    assert body == {"terms": ["dark"], "phrases": ["lamp post"]}


def test_far_from_every_topic_says_new_topic_with_a_valid_snippet() -> None:
    t = theme(("scam", "letter", "scam letter", "bank detail", "refund"), "street_lighting",
              NEAR_TOPIC - 0.2)
    s = suggest(t, LABELS, known=known_terms(TOPICS))
    assert s.kind == "new" and s.text == 'consider a new topic "Scam letter"'
    assert s.topic == "scam_letter"
    spec = TopicSpec.model_validate(yaml.safe_load(s.yaml)["topics"]["scam_letter"])
    assert spec.label == "Scam letter"
    assert "scam letter" in spec.phrases and "refund" in spec.terms
    no_topic = dataclasses.replace(t, nearest_topic=None, topic_similarity=None)
    assert suggest(no_topic, LABELS).kind == "new"


def test_snippet_quotes_what_yaml_would_misread_and_slugs_do_not_collide() -> None:
    text = topic_snippet("x", label="On", terms=["yes", "111", "a&e"], phrases=["not: this"])
    assert yaml.safe_load(text) == {"topics": {"x": {
        "label": "On", "terms": ["yes", "111", "a&e"], "phrases": ["not: this"]}}}
    assert slug_for("Street lights!") == "street_lights"
    assert slug_for("Street lights", taken={"street_lights"}) == "street_lights_2"
    assert slug_for("Café déjà vu") == "cafe_deja_vu"
    assert slug_for("111 calls") == "topic_111_calls"


def test_ctfidf_ranks_what_sets_a_class_apart() -> None:
    classes = [{"heating": 20, "school": 18, "council": 10}, {"scam": 15, "council": 12}]
    background = {"council": 40, "road": 30}
    first, second = class_tfidf(classes, background)
    assert first[0][0] == "heating" and first[-1][0] == "council"
    assert second[0][0] == "scam"
    assert class_tfidf([]) == []


def test_labels_prefer_phrases_over_their_words() -> None:
    assert label_terms(["light", "street", "wire", "street light", "dark"]) == [
        "street light", "wire", "dark"]
    assert make_label(["garbage", "dump", "garbage dump", "road"]) == "garbage dump, road"

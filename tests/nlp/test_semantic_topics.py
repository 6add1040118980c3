"""Semantic topics (``topics.semantic`` v1) and keywords-then-semantic
(``topics.hybrid`` v1, v2) on small texts written here, with the real static
embeddings from the core install (no download, no torch)."""

from __future__ import annotations

from pathlib import Path

import pytest

from nlp.config import TopicSpec
from nlp.hybrid import HybridTopics, HybridTopicsV2
from nlp.prototypes import read_staff_labels, topic_prototypes
from nlp.semantic import SemanticTopics
from nlp.static_embed import shared_static_embedder

LIGHTS = TopicSpec(label="Street lighting", terms=["streetlight"], phrases=["street light"],
                   examples=["The street light outside our house is broken"])
BINS = TopicSpec(label="Bins and rubbish", terms=["bin", "rubbish"],
                 phrases=["bin collection"], exclusions=["bin laden"],
                 examples=["Our bins were not emptied this week"])
TOPICS = {"bins": BINS, "lights": LIGHTS}

PARAPHRASE = "The lamp at the end of our road has been dark for a week"  # no listed word
UNRELATED = "Lovely concert in the town hall last night"
VETOED = "Garbage piling up on the corner, bin laden is nobody"


def semantic(topics: dict[str, TopicSpec] = TOPICS, **kw: object) -> SemanticTopics:
    return SemanticTopics(topics, shared_static_embedder(), threshold=0.35, margin=0.02,
                          **kw)  # type: ignore[arg-type]


def test_a_paraphrase_is_found_with_its_nearest_prototype_as_evidence() -> None:
    [label] = semantic().classify([PARAPHRASE])[0]
    assert (label.label, label.classifier, label.version) == ("lights", "topics.semantic", "v1")
    assert 0.35 <= label.score <= 1.0
    assert label.evidence == (f"semantic: near 'street light' {label.score:.2f}",)
    assert label.model_id and label.model_id.startswith("wordllama==")


def test_an_unrelated_text_gets_no_topic() -> None:
    assert semantic().classify([UNRELATED, "", "Happy birthday to my grandmother"]) == [
        [], [], []]


def test_an_exclusion_still_vetoes_a_near_topic() -> None:
    unvetoed = BINS.model_copy(update={"exclusions": []})
    [label] = semantic({"bins": unvetoed, "lights": LIGHTS}).classify([VETOED])[0]
    assert label.label == "bins"  # near enough on its own...
    assert semantic().classify([VETOED]) == [[]]  # ...but "bin laden" vetoes it


def test_a_topic_threshold_of_its_own_overrides_the_global_one() -> None:
    strict = LIGHTS.model_copy(update={"semantic_threshold": 0.95})
    assert semantic({"bins": BINS, "lights": strict}).classify([PARAPHRASE]) == [[]]


def test_staff_labels_become_prototypes_and_none_labels_negatives(tmp_path: Path) -> None:
    text = "Fox got into the food caddy and spread it across the drive"
    assert semantic().classify([text]) == [[]]
    labelled = tmp_path / "labels.csv"
    labelled.write_text("text,label\n"
                        "A fox tore open the food caddy and scattered it over the drive,bins\n"
                        f"{PARAPHRASE},none\n,bins\n", encoding="utf-8")
    staff = read_staff_labels([labelled])
    assert [(s.label, s.where) for s in staff] == [("bins", "labels.csv row 2"),
                                                   ("none", "labels.csv row 3")]
    kinds = [(p.topic, p.kind) for p in topic_prototypes(TOPICS, staff, ["none"])]
    assert ("bins", "staff") in kinds and ("", "staff") in kinds
    clf = semantic(staff=staff, none_labels=["none"])
    [label] = clf.classify([text])[0]
    assert label.label == "bins"
    assert label.evidence[0].startswith("semantic: near 'a post staff labelled (labels.csv row 2)'")
    assert clf.classify([PARAPHRASE]) == [[]]  # nearest the post staff labelled none


def test_hybrid_keeps_keyword_labels_and_fills_in_the_posts_they_miss() -> None:
    texts = ["Missed bin collection again on our street", PARAPHRASE, UNRELATED, VETOED]
    out = HybridTopics(semantic()).classify(texts)
    [kw] = out[0]
    assert (kw.label, kw.classifier, kw.version) == ("bins", "topics.keywords", "v2")
    assert set(kw.evidence) == {"bin", "bin collection"}
    [sem] = out[1]
    assert (sem.label, sem.classifier) == ("lights", "topics.semantic")
    assert out[2] == [] and out[3] == []


# both lists match; the post is about the bins, the street light only says where
TWO_LISTS = "By the street light: bins not emptied for weeks, rubbish and rats everywhere"
ABOUT_THE_LIGHT = "The street light is out and I tripped over a bin in the dark"


def test_hybrid_v2_ranks_the_topics_of_several_lists_by_nearness() -> None:
    v1 = HybridTopics(semantic()).classify([TWO_LISTS])[0]
    assert [(lab.label, lab.score) for lab in v1] == [("lights", 1.0), ("bins", 1.0)]
    texts = [TWO_LISTS, "Missed bin collection again on our street", PARAPHRASE, VETOED]
    out = HybridTopicsV2(semantic()).classify(texts)
    first, second = out[0]  # both keyword labels kept, nearest topic first
    assert (first.label, second.label) == ("bins", "lights")
    assert all((lab.classifier, lab.version) == ("topics.keywords", "v3") for lab in out[0])
    assert 0.0 < second.score < first.score < 1.0  # (the cosines)
    assert set(first.evidence) == {"bin", "rubbish"} and second.evidence == ("street light",)
    [one] = out[1]  # one list matches: as before
    assert (one.label, one.score, one.version) == ("bins", 1.0, "v3")
    [sem] = out[2]
    assert (sem.label, sem.classifier) == ("lights", "topics.semantic")
    assert out[3] == []  # exclusions still veto
    about_light = HybridTopicsV2(semantic()).classify([ABOUT_THE_LIGHT])[0]
    assert [lab.label for lab in about_light] == ["lights", "bins"]


def test_hybrid_v2_ranks_with_a_veto_and_in_batches_with_no_misses() -> None:
    clf = HybridTopicsV2(semantic())
    assert [[lab.label for lab in labs] for labs in clf.classify([TWO_LISTS] * 3)] == [
        ["bins", "lights"]] * 3
    assert clf.classify([]) == []


@pytest.mark.parametrize("n", [0, 1, 70])
def test_any_number_of_posts(n: int) -> None:
    assert len(semantic().classify([PARAPHRASE] * n)) == n

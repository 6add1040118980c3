from __future__ import annotations

import pytest

from nlp.config import TopicSpec
from nlp.keywords import KeywordTopics

TOPICS = {
    "potholes": TopicSpec(
        label="Potholes",
        terms=["pothole"],
        phrases=["road surface"],
        hashtags=["#FixMyStreet"],
        exclusions=["pothole snooker"],
    ),
    "bins": TopicSpec(
        label="Bins and recycling",
        terms=["bin", "recycling", "fly-tipping"],
        phrases=["bin collection", "not collected"],
        exclusions=["bin laden"],
    ),
    "streetlights": TopicSpec(label="Street lights", phrases=["street light"], terms=["lamppost"]),
}


@pytest.fixture(scope="module")
def clf() -> KeywordTopics:
    return KeywordTopics(TOPICS)


def topics_of(clf: KeywordTopics, text: str) -> dict[str, tuple[str, ...]]:
    return {lab.label: lab.evidence for lab in clf.classify([text])[0]}


@pytest.mark.parametrize(
    "text",
    ["pothole on Mill Road", "Potholes!! everywhere", "#potholes again", "POTHOLE.",
     "#PotholeHell"],
)
def test_inflections_case_and_hashtags_match(clf: KeywordTopics, text: str) -> None:
    assert topics_of(clf, text) == {"potholes": ("pothole",)}


def test_whole_words_only(clf: KeywordTopics) -> None:
    assert topics_of(clf, "a cabinet reshuffle, then the binary vote") == {}
    assert topics_of(clf, "the lamppost is down") == {"streetlights": ("lamppost",)}


def test_phrase_inflection_and_hyphen_spacing(clf: KeywordTopics) -> None:
    assert topics_of(clf, "Street lights out on Elm Grove") == {"streetlights": ("street light",)}
    assert topics_of(clf, "fly tipping in the alley")["bins"] == ("fly-tipping",)
    assert topics_of(clf, "Fly-tipping in the alley")["bins"] == ("fly-tipping",)


def test_configured_hashtag_matches_any_case(clf: KeywordTopics) -> None:
    assert topics_of(clf, "reported it on #fixmystreet") == {"potholes": ("#FixMyStreet",)}
    # the hashtag list matches hashtags, not the plain words
    assert topics_of(clf, "fix my street please") == {}


def test_exclusion_vetoes_only_its_topic(clf: KeywordTopics) -> None:
    assert topics_of(clf, "Pothole snooker night at the pub") == {}
    assert topics_of(clf, "bin laden documentary, and a pothole outside") == {
        "potholes": ("pothole",)
    }


def test_multi_label_and_overlapping_phrases_all_reported(clf: KeywordTopics) -> None:
    found = topics_of(clf, "Bin collection missed, bins NOT collected, and a pothole")
    assert set(found) == {"bins", "potholes"}
    assert set(found["bins"]) == {"bin collection", "bin", "not collected"}


def test_urls_and_mentions_never_match(clf: KeywordTopics) -> None:
    text = "see https://example.org/potholes and www.bins.gov.uk @pothole @bins@mastodon.social"
    assert topics_of(clf, text) == {}


def test_html_entities_decoded(clf: KeywordTopics) -> None:
    assert set(topics_of(clf, "bins &amp; potholes &#8211; again")) == {"bins", "potholes"}


def test_labels_carry_name_version_model_and_order(clf: KeywordTopics) -> None:
    out = clf.classify(["nothing here", "a pothole", ""])
    assert [len(x) for x in out] == [0, 1, 0]
    lab = out[1][0]
    assert (lab.task, lab.classifier, lab.version) == ("topic", "topics.keywords", "v1")
    assert lab.model_id


SERVICES = {
    "parking": TopicSpec(label="Parking", terms=["parking", "permit"]),
    "parks": TopicSpec(label="Parks", terms=["park", "playground"]),
    "housing": TopicSpec(label="Housing", terms=["housing"]),
}


@pytest.mark.parametrize(("text", "v1", "v2"), [
    ("Parking fines on the high street again", {"parking", "parks"}, {"parking"}),
    ("Lovely afternoon in the park, playground full", {"parking", "parks"}, {"parks"}),
    ("Two parks closed for repairs", {"parking", "parks"}, {"parks"}),
    ("Will they house the families on the waiting list?", {"housing"}, set()),
])
def test_v2_keeps_ing_words_apart_where_v1_merged_them(text: str, v1: set[str],
                                                       v2: set[str]) -> None:
    from nlp.keywords import KeywordTopicsV2

    assert set(topics_of(KeywordTopics(SERVICES), text)) == v1
    assert set(topics_of(KeywordTopicsV2(SERVICES), text)) == v2
    (label,) = KeywordTopicsV2(SERVICES).classify(["a parking permit"])[0]
    assert (label.classifier, label.version) == ("topics.keywords", "v2")

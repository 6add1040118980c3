"""Themes among unmatched posts: a planted issue comes back as one named
theme; random posts make none; small themes are dropped; same input, same
output."""

from __future__ import annotations

import random

import numpy as np
import pytest

from nlp.clustering import ClusterParams, cluster, unit_rows
from nlp.config import TopicSpec
from nlp.prototypes import TopicPrototypes, topic_texts
from nlp.static_embed import shared_static_embedder
from nlp.themes import find_themes
from tests.nlp.discovery_texts import CAMERA, HEATING, SCAM, random_posts


def week(*groups: list[str], noise: int = 200, seed: int = 0) -> list[str]:
    texts = [t for g in groups for t in g] + random_posts(noise, seed=seed)
    random.Random(seed).shuffle(texts)
    return texts


def embed(texts: list[str]) -> np.ndarray:
    return shared_static_embedder().encode(texts)


def test_planted_issue_is_one_theme_named_for_it_and_noise_is_none() -> None:
    texts = week(HEATING)
    themes = find_themes(texts, embed(texts))
    assert len(themes) == 1
    theme = themes[0]
    planted = {i for i, t in enumerate(texts) if t in HEATING}
    assert len(planted & set(theme.members)) >= 27  # nearly all of the 30
    assert len(set(theme.members) - planted) <= 2  # and hardly any noise
    assert "heating" in theme.label.split(", ")[0] or "heating" in theme.label
    assert theme.size == len(theme.members)
    assert len(theme.representatives) == 3
    assert set(theme.representatives) <= set(theme.members)
    assert abs(float(np.linalg.norm(theme.centroid)) - 1.0) < 1e-5
    assert theme.authors is None  # no keys given


def test_random_posts_form_no_theme() -> None:
    for seed in range(3):
        texts = random_posts(400, seed=seed)
        assert find_themes(texts, embed(texts)) == []


def test_two_planted_issues_are_two_themes_largest_first() -> None:
    texts = week(HEATING, SCAM[:20])
    themes = find_themes(texts, embed(texts))
    assert [t.size >= 18 for t in themes] == [True, True]
    assert themes[0].size >= themes[1].size
    assert "heating" in themes[0].label
    assert "scam" in themes[1].label or "letter" in themes[1].label


def test_themes_under_the_minimum_size_are_not_returned() -> None:
    texts = week(HEATING, SCAM[:12])
    vectors = embed(texts)
    labels = [t.label for t in find_themes(texts, vectors, params=ClusterParams(min_size=10))]
    assert len(labels) == 2
    larger = find_themes(texts, vectors, params=ClusterParams(min_size=20))
    assert len(larger) == 1 and "heating" in larger[0].label
    assert find_themes(texts, vectors, params=ClusterParams(min_size=40)) == []


def test_author_keys_are_counted_and_representatives_come_from_different_authors() -> None:
    texts = week(HEATING)
    # the 30 planted posts come from 4 people; everyone else posts once
    authors: list[str] = []
    n = 0
    for i, t in enumerate(texts):
        if t in HEATING:
            authors.append(f"parent-{n % 4}")
            n += 1
        else:
            authors.append(f"other-{i}")
    theme = find_themes(texts, embed(texts), authors=authors)[0]
    assert theme.authors == len({authors[i] for i in theme.members}) == 4
    assert len({authors[i] for i in theme.representatives}) == 3


def test_repeated_posts_are_not_shown_twice_as_representatives() -> None:
    texts = [HEATING[0]] * 15 + HEATING[1:20] + random_posts(100)
    theme = find_themes(texts, embed(texts))[0]
    shown = [texts[i].lower() for i in theme.representatives]
    assert len(set(shown)) == len(shown) == 3


def test_the_same_words_to_different_people_are_shown_once() -> None:
    reply = "Sorry about the heating at Oakfield Primary, we will look into it {} https://x.co/{}"
    texts = [reply.format(f"@parent{k}", k) for k in range(15)] + HEATING[1:20] \
        + random_posts(100)
    theme = find_themes(texts, embed(texts))[0]
    shown = [texts[i] for i in theme.representatives]
    assert sum(t.startswith("Sorry about") for t in shown) <= 1, shown


def test_same_input_same_output_and_input_order_only_renumbers() -> None:
    texts = week(HEATING, SCAM[:20], noise=300)
    vectors = embed(texts)
    first = find_themes(texts, vectors)
    again = find_themes(texts, vectors)
    assert [(t.label, t.members, t.representatives) for t in first] == [
        (t.label, t.members, t.representatives) for t in again]


def test_large_periods_are_sampled_with_a_seed_and_everyone_is_assigned() -> None:
    texts = week(HEATING, SCAM, CAMERA, noise=400)
    vectors = embed(texts)
    small = ClusterParams(sample_size=200, seed=3)
    one = find_themes(texts, vectors, params=small)
    two = find_themes(texts, vectors, params=small)
    assert [t.members for t in one] == [t.members for t in two]
    assert len(one) == 3
    for planted in (CAMERA, HEATING, SCAM):
        members = max(({texts[i] for i in t.members} for t in one),
                      key=lambda m: len(m & set(planted)))
        assert len(members & set(planted)) >= 27 and len(members - set(planted)) <= 3


def test_nearest_configured_topic_and_how_near() -> None:
    topics = {
        "schools": TopicSpec(label="Schools", terms=["school", "pupil", "classroom"],
                             phrases=["school heating"]),
        "roads": TopicSpec(label="Roads", terms=["pothole", "roadworks"]),
    }
    assert topic_texts(topics["schools"]) == ["Schools", "school", "pupil", "classroom",
                                              "school heating"]
    prototypes = TopicPrototypes.from_specs(shared_static_embedder(), topics)
    texts = week(HEATING)
    theme = find_themes(texts, embed(texts), prototypes=prototypes)[0]
    assert theme.nearest_topic == "schools"
    assert theme.topic_evidence in topic_texts(topics["schools"])
    assert theme.topic_similarity is not None and 0.3 < theme.topic_similarity <= 1.0


def test_bad_input_is_refused_clearly() -> None:
    with pytest.raises(ValueError, match="3 texts but 2 vectors"):
        find_themes(["a", "b", "c"], np.zeros((2, 4)))
    with pytest.raises(ValueError, match="author keys"):
        find_themes(["a", "b"], np.zeros((2, 4)), authors=["x"])
    with pytest.raises(ValueError, match="2-D"):
        unit_rows(np.zeros(4))
    assert find_themes([], np.zeros((0, 4))) == []
    # empty texts embed to zero rows: they are in no theme
    assert (cluster(np.zeros((20, 4), dtype=np.float32)) == -1).all()

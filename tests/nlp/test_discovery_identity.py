"""Theme identity across periods: a theme that persists keeps its identity;
a different theme does not inherit it."""

from __future__ import annotations

import numpy as np
import pytest

from nlp.static_embed import shared_static_embedder
from nlp.theme_match import SAME_THEME_SIMILARITY, match_themes
from nlp.themes import Theme, find_themes
from tests.nlp.discovery_texts import CAMERA, HEATING, SCAM, random_posts


def themes_of(texts: list[str]) -> list[Theme]:
    return find_themes(texts, shared_static_embedder().encode(texts))


def theme_with(themes: list[Theme], texts: list[str], planted: list[str]) -> int:
    return max(range(len(themes)),
               key=lambda k: sum(texts[i] in planted for i in themes[k].members))


def test_a_persisting_theme_keeps_its_identity_and_a_new_one_gets_none() -> None:
    # week 1: heating and scam letters; week 2: other posts about the heating,
    # and bus lane cameras (new)
    week1 = HEATING[:20] + SCAM[:20] + random_posts(150, seed=1)
    week2 = HEATING[10:] + CAMERA[:20] + random_posts(150, seed=2)
    first, second = themes_of(week1), themes_of(week2)
    ids = {"theme-heating": first[theme_with(first, week1, HEATING)].centroid,
           "theme-scam": first[theme_with(first, week1, SCAM)].centroid}
    matches = match_themes([t.centroid for t in second], ids)
    heating = theme_with(second, week2, HEATING)
    camera = theme_with(second, week2, CAMERA)
    assert matches[heating] is not None and matches[heating][0] == "theme-heating"
    assert matches[heating][1] >= SAME_THEME_SIMILARITY
    assert matches[camera] is None  # bus lane cameras are not the scam letters


def test_matching_is_one_to_one_greedy_and_deterministic() -> None:
    a, b, c = np.eye(3, dtype=np.float32)
    near_a = np.array([0.95, 0.3, 0.0], dtype=np.float32)
    also_a = np.array([0.9, 0.0, 0.4], dtype=np.float32)
    earlier = {"A": a, "B": b, "C": c}
    out = match_themes([also_a, near_a, -a], earlier, min_similarity=0.8)
    # near_a is nearer to A than also_a is, so it takes A; also_a gets nothing
    assert out[1] is not None and out[1][0] == "A"
    assert out[0] is None and out[2] is None
    assert match_themes([also_a, near_a, -a], earlier, min_similarity=0.8) == out
    assert match_themes([], earlier) == []
    assert match_themes([a], {}) == [None]


def test_centroids_from_different_models_are_refused() -> None:
    with pytest.raises(ValueError, match="different embedding models"):
        match_themes([np.ones(4)], {"x": np.ones(8)})

"""Feature sets of the learned heads: the static wordllama block is really
in the matrix, works without MiniLM (the core install), and bad sets are
refused with the known ones named."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from nlp import features
from nlp.static_embed import shared_static_embedder

TEXTS = ["bins not collected again", "street light out on elm road", "lovely park"]


def test_wordllama_block_sits_beside_minilm(tiny_bert: Path) -> None:
    both = features.Featurizer("minilm+wordllama", model_path=tiny_bert)(TEXTS)
    minilm = features.Featurizer("minilm", model_path=tiny_bert)(TEXTS)
    static = shared_static_embedder().encode(TEXTS)
    assert both.shape == (3, minilm.shape[1] + static.shape[1])
    assert np.array_equal(both[:, :minilm.shape[1]], minilm)
    assert np.array_equal(both[:, minilm.shape[1]:], static)


def test_wordllama_alone_needs_no_minilm(monkeypatch: pytest.MonkeyPatch) -> None:
    import nlp.embeddings

    def no_torch(*args: object, **kwargs: object) -> None:
        raise AssertionError("MiniLM loaded for a wordllama feature set")

    monkeypatch.setattr(nlp.embeddings, "shared_embedder", no_torch)
    featurizer = features.Featurizer("wordllama+tfidf")
    assert featurizer.text_head
    assert np.array_equal(featurizer(TEXTS), shared_static_embedder().encode(TEXTS))
    assert featurizer.embedding_model_id == shared_static_embedder().model_id


@pytest.mark.parametrize("spec", ["vader", "tfidf+minilm", "minilm+minilm", "minilm+bert", ""])
def test_unknown_feature_sets_are_refused(spec: str) -> None:
    with pytest.raises(ValueError, match="minilm or wordllama"):
        features.parse_spec(spec)


def test_every_listed_feature_set_parses() -> None:
    for spec in features.SPECS:
        assert "+".join(features.parse_spec(spec)) == spec

"""The core static embeddings: offline, checked, normalised, meaningful."""

from __future__ import annotations

import numpy as np

from nlp.static_embed import embedding_text, shared_static_embedder


def test_paraphrase_is_nearer_than_an_unrelated_text() -> None:
    emb = shared_static_embedder()
    a, b, c = emb.encode(["the bins were not collected this week",
                          "garbage not picked up for days",
                          "lovely sunny afternoon at the beach"])
    assert float(a @ b) > float(a @ c) + 0.2


def test_rows_are_unit_length_in_input_order_and_empty_text_is_zero() -> None:
    emb = shared_static_embedder()
    texts = ["a much longer text about potholes on the high street and the council", "bins",
             "", "street light out"]
    out = emb.encode(texts)
    assert out.shape == (4, emb.dim) and out.dtype == np.float32
    norms = np.linalg.norm(out, axis=1)
    assert np.allclose(norms[[0, 1, 3]], 1.0, atol=1e-5)
    one_by_one = np.vstack([emb.encode([t]) for t in texts])
    assert np.allclose(out, one_by_one, atol=1e-5)
    assert emb.model_id.startswith("wordllama==")
    assert emb.encode([]).shape == (0, emb.dim)


def test_links_handles_and_hash_signs_are_not_embedded() -> None:
    assert embedding_text("@council #bins &amp; https://x.co/a") .split() == ["bins", "&"]


def test_the_fast_pooling_gives_wordllamas_own_vectors() -> None:
    """``encode`` re-implements ``WordLlama.embed`` for speed under the same
    model id, and stored theme centroids are compared across runs by that id:
    the vectors must stay WordLlama's, whatever the batch or the text."""
    emb = shared_static_embedder()
    texts = ["Bins not collected on Elm Row 🤬 #binstrike", "pothole", "x " * 1200,
             "@council the street light at https://t.co/x is out &amp; dark",
             "garbage dumped near the school again, third week running"]
    theirs = np.asarray(emb._model.embed([embedding_text(t) for t in texts], norm=False),
                        dtype=np.float32)
    theirs /= np.linalg.norm(theirs, axis=1, keepdims=True)
    assert np.allclose(emb.encode(texts), theirs, atol=1e-5)

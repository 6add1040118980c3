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


PIECE_TEXTS = ["Bins not collected on Elm Row 🤬 #binstrike", "two  spaces", "  lead", "trail  ",
               "tab\there", "new\nline", "<s> special </s> <unk>", "a<b", "café ☕ naïve",
               "\u2581marker\u2581 \u2581\u2581x", "x", " ", "ünïcödé 漢字 עברית", "3   4    5",
               "the pothole on the A14 at 10am, again!!!"]


def test_token_ids_piece_by_piece_are_the_tokenizers_own() -> None:
    """``encode`` tokenises each "▁word" piece once and caches it; the ids
    must be those of the whole text through the tokenizer, cold and warm."""
    emb = shared_static_embedder()
    whole = emb._whole_ids(PIECE_TEXTS)
    assert emb._token_ids(PIECE_TEXTS) == whole
    assert emb._token_ids(PIECE_TEXTS) == whole  # cached pieces


def test_pooling_adds_each_texts_vectors_in_order() -> None:
    """Bitwise: the sum of a text's token vectors in token order, normalised
    (the order the padded sum of earlier releases added them in)."""
    emb = shared_static_embedder()
    texts = [*PIECE_TEXTS, "x " * 300]
    totals = np.zeros((len(texts), emb.dim), dtype=np.float32)
    for row, text in enumerate(texts):
        for i in emb._whole_ids([embedding_text(text) or " "])[0]:
            totals[row] += emb._table[min(i, len(emb._table) - 1)]
    norms = np.linalg.norm(totals, axis=1, keepdims=True)  # as encode normalises
    expected = np.divide(totals, norms, out=np.zeros_like(totals), where=norms > 0)
    out = emb.encode(texts)
    for text, row, want in zip(texts, out, expected, strict=True):
        assert np.array_equal(row, want), text

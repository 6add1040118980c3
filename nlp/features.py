"""Features for the learned heads: a "+"-joined feature set naming its
blocks, e.g. ``minilm+vader`` or ``minilm+wordllama+tfidf``.

- ``minilm``: the MiniLM sentence embedding (the ``ml`` extra; computed once
  per post, shared);
- ``wordllama``: the static WordLlama embedding of the core install
  (``nlp.static_embed``, no torch);
- ``vader``: VADER's four scores (they carry emoji, which MiniLM's
  vocabulary maps to [UNK]);
- ``tfidf``: not a column block but a second head on the text itself
  (``nlp.text_head``), averaged with the embedding head.

At least one embedding block is needed; blocks are concatenated in the
order above (the embedding head standardises every column)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from nlp.static_embed import Embeddings
from nlp.vader import VaderSentiment

BLOCKS = ("minilm", "wordllama", "vader", "tfidf")
EMBEDDINGS = ("minilm", "wordllama")
SPECS = ("minilm", "minilm+vader", "minilm+tfidf", "minilm+vader+tfidf",
         "minilm+wordllama+tfidf", "wordllama+tfidf", "wordllama", "minilm+wordllama")
DEFAULT_SPEC = "minilm+vader"


def parse_spec(spec: str) -> list[str]:
    """The blocks of a feature set, checked: known, none twice, in the
    canonical order, at least one embedding."""
    parts = spec.split("+")
    unknown = [p for p in parts if p not in BLOCKS]
    if (unknown or len(set(parts)) != len(parts) or not set(parts) & set(EMBEDDINGS)
            or parts != sorted(parts, key=BLOCKS.index)):
        raise ValueError(f"unknown feature set {spec!r}: blocks from {', '.join(BLOCKS)}"
                         f" joined by '+' in that order, with minilm or wordllama;"
                         f" e.g. {', '.join(SPECS)}")
    return parts


class Featurizer:
    def __init__(self, spec: str = DEFAULT_SPEC, embedder: Embeddings | None = None,
                 *, threads: int | None = None, model_path: Path | None = None) -> None:
        blocks = parse_spec(spec)
        self.spec = spec
        self.text_head = "tfidf" in blocks  # a second head on the text itself
        self.embedders: list[Embeddings] = []
        if "minilm" in blocks:
            from nlp.embeddings import shared_embedder

            self.embedders.append(embedder or shared_embedder(model_path, threads))
        if "wordllama" in blocks:
            from nlp.static_embed import shared_static_embedder

            self.embedders.append(shared_static_embedder() if self.embedders or embedder is None
                                  else embedder)
        self._vader = VaderSentiment() if "vader" in blocks else None

    @property
    def embedding_model_id(self) -> str:
        """The embedding models the head was trained on: MiniLM's id alone for
        feature sets before ``wordllama`` (as their cards record it)."""
        return "+".join(e.model_id for e in self.embedders)

    @property
    def model_id(self) -> str:
        return f"{self.embedding_model_id}+{self.spec}"

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        parts = [e.encode(texts) for e in self.embedders]
        if self._vader is not None:
            parts.append(np.array([self._vader.scores(t) for t in texts], dtype=np.float32)
                         .reshape(len(texts), 4))
        return np.hstack(parts)

"""Features for the learned heads: the MiniLM embedding (computed once per
post, shared) plus VADER's four scores (they carry emoji, which MiniLM's
vocabulary maps to [UNK])."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from nlp.embeddings import Embedder, shared_embedder
from nlp.vader import VaderSentiment

SPECS = ("minilm", "minilm+vader", "minilm+tfidf", "minilm+vader+tfidf")
DEFAULT_SPEC = "minilm+vader"


class Featurizer:
    def __init__(self, spec: str = DEFAULT_SPEC, embedder: Embedder | None = None,
                 *, threads: int | None = None, model_path: Path | None = None) -> None:
        if spec not in SPECS:
            raise ValueError(f"unknown feature set {spec!r}; known: {', '.join(SPECS)}")
        self.spec = spec
        self.text_head = spec.endswith("+tfidf")  # a second head on the text itself
        self.embedder = embedder or shared_embedder(model_path, threads)
        self._vader = VaderSentiment() if "vader" in spec else None

    @property
    def model_id(self) -> str:
        return f"{self.embedder.model_id}+{self.spec}"

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        parts = [self.embedder.encode(texts)]
        if self._vader is not None:
            parts.append(np.array([self._vader.scores(t) for t in texts], dtype=np.float32)
                         .reshape(len(texts), 4))
        return np.hstack(parts)

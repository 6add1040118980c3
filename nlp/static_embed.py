"""Static sentence embeddings for the core install: no torch, nothing
downloaded.

The default is WordLlama's ``l2_supercat`` 256-d model, whose weights and
tokenizer ship inside the ``wordllama`` wheel (MIT licence; the vectors
were trained from the token-embedding codebooks of open LLMs, LLaMA 2 70B
and phi-3 among them, per the package's README). They are loaded from the
installed package with downloads disabled, after the pinned sha256 of both
files is checked, as for every model file. A sentence vector is the mean of
its tokens' vectors, L2-normalised, so a dot product is a cosine.

``Embeddings`` is the interface shared with the MiniLM ``Embedder``
(``nlp.embeddings``, the ``ml`` extra): ``model_id``, ``dim`` and
``encode(texts)``. It is what semantic topics and discovery take.
"""

from __future__ import annotations

import html
import threading
from collections.abc import Sequence
from importlib.metadata import version as dist_version
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from nlp import modelfiles, textprep

WORDLLAMA_CONFIG = "l2_supercat"
WORDLLAMA_DIM = 256
WORDLLAMA_SHA256 = {
    "weights/l2_supercat_256.safetensors":
        "64b47a2dc493cb8e85944076601189739852d7b64e0e1eedcb1937a251cd9fd5",
    "tokenizers/l2_supercat_tokenizer_config.json":
        "93248f2a9ec36c7b35f700a033d5f36228aae48db61aee31007fa49062cdeb68",
}


class Embeddings(Protocol):
    """Texts in, one L2-normalised float32 row per text out."""

    model_id: str
    dim: int

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


def embedding_text(text: str) -> str:
    """What an embedding model sees: entities decoded, links and handles as
    placeholders, hashtags as words."""
    if "&" in text:
        text = html.unescape(text)
    text = textprep.URL_RE.sub(" ", text)
    text = textprep.MENTION_RE.sub(" ", text)
    return text.replace("#", " ")


class StaticEmbedder:
    """WordLlama vectors from the installed wheel, checked and offline."""

    def __init__(self, batch_size: int = 64) -> None:  # smaller batches stay in cache
        try:
            import wordllama
        except ImportError as exc:  # a core dependency: a broken install
            raise modelfiles.ModelFileError(
                "the wordllama package is not installed (a core dependency)") from exc
        folder = Path(wordllama.__file__).parent
        modelfiles.verify(folder, WORDLLAMA_SHA256)
        self._model: Any = wordllama.WordLlama.load(
            config=WORDLLAMA_CONFIG, dim=WORDLLAMA_DIM, cache_dir=folder,
            disable_download=True)
        self.dim = WORDLLAMA_DIM
        self.batch_size = batch_size
        self.model_id = (f"wordllama=={dist_version('wordllama')}:{WORDLLAMA_CONFIG}"
                         f"-{WORDLLAMA_DIM}")

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        prepared = [embedding_text(t) or " " for t in texts]
        # batches padded to their longest text: sorting by length wastes less
        order = sorted(range(len(prepared)), key=lambda i: len(prepared[i]))
        sorted_vectors = np.asarray(self._model.embed([prepared[i] for i in order], norm=False,
                                                      batch_size=self.batch_size),
                                    dtype=np.float32)
        vectors = np.empty_like(sorted_vectors)
        vectors[order] = sorted_vectors
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        out: np.ndarray = np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)
        return out


_SHARED: StaticEmbedder | None = None
_LOCK = threading.Lock()


def shared_static_embedder() -> StaticEmbedder:
    """One static embedder per process (its 16 MB matrix is loaded once)."""
    global _SHARED
    with _LOCK:
        if _SHARED is None:
            _SHARED = StaticEmbedder()
        return _SHARED

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


_TOKENIZER = "tokenizers/l2_supercat_tokenizer_config.json"


class Embeddings(Protocol):
    """Texts in, one L2-normalised float32 row per text out."""

    model_id: str
    dim: int

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


def static_model_id() -> str:
    """The model id of the core static embeddings, known without loading them."""
    return f"wordllama=={dist_version('wordllama')}:{WORDLLAMA_CONFIG}-{WORDLLAMA_DIM}"


def embedding_text(text: str) -> str:
    """What an embedding model sees: entities decoded, links and handles as
    placeholders, hashtags as words."""
    if "&" in text:
        text = html.unescape(text)
    text = textprep.URL_RE.sub(" ", text)
    text = textprep.MENTION_RE.sub(" ", text)
    return text.replace("#", " ")


class StaticEmbedder:
    """WordLlama vectors from the installed wheel, checked and offline.

    The same vectors as ``WordLlama.embed`` (the mean of a text's token
    vectors), computed faster: texts are tokenised without padding (the
    tokenizer's padding costs more than the rest), then pooled in batches of
    similar length."""

    def __init__(self, batch_size: int = 64) -> None:  # smaller batches stay in cache
        try:
            import wordllama
            from tokenizers import Tokenizer
        except ImportError as exc:  # a core dependency: a broken install
            raise modelfiles.ModelFileError(
                "the wordllama package is not installed (a core dependency)") from exc
        folder = Path(wordllama.__file__).parent
        modelfiles.verify(folder, WORDLLAMA_SHA256)
        self._model: Any = wordllama.WordLlama.load(
            config=WORDLLAMA_CONFIG, dim=WORDLLAMA_DIM, cache_dir=folder,
            disable_download=True)
        self._table = np.ascontiguousarray(self._model.embedding, dtype=np.float32)
        self._tokenizer: Any = Tokenizer.from_file(str(folder / _TOKENIZER))
        self._tokenizer.no_padding()
        self._tokenizer.no_truncation()
        self.dim = WORDLLAMA_DIM
        self.batch_size = batch_size
        self.model_id = static_model_id()

    def _token_ids(self, texts: list[str]) -> list[list[int]]:
        encode = getattr(self._tokenizer, "encode_batch_fast", self._tokenizer.encode_batch)
        return [e.ids for e in encode(texts, add_special_tokens=False)]

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        ids = self._token_ids([embedding_text(t) or " " for t in texts])
        lengths = np.fromiter(map(len, ids), dtype=np.int64, count=len(ids))
        order = np.argsort(lengths, kind="stable")
        last = self._table.shape[0] - 1
        for start in range(0, len(order), self.batch_size):
            chunk = order[start:start + self.batch_size]
            width = int(lengths[chunk].max())
            if width == 0:
                continue
            padded = np.zeros((len(chunk), width), dtype=np.int64)
            mask = np.zeros((len(chunk), width, 1), dtype=np.float32)
            for row, j in enumerate(chunk):
                padded[row, :lengths[j]] = ids[j]
                mask[row, :lengths[j]] = 1.0
            np.clip(padded, 0, last, out=padded)
            out[chunk] = (self._table[padded] * mask).sum(axis=1)  # the mean, up to scale
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        result: np.ndarray = np.divide(out, norms, out=np.zeros_like(out), where=norms > 0)
        return result


_SHARED: StaticEmbedder | None = None
_LOCK = threading.Lock()


def shared_static_embedder() -> StaticEmbedder:
    """One static embedder per process (its 16 MB matrix is loaded once)."""
    global _SHARED
    with _LOCK:
        if _SHARED is None:
            _SHARED = StaticEmbedder()
        return _SHARED

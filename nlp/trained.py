"""Classifiers trained by ``listener train``, loaded from the data directory."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nlp import cards, modelfiles
from nlp.decision import Decision
from nlp.features import Featurizer
from nlp.heads import WEIGHTS, LinearHead
from nlp.types import Label

if TYPE_CHECKING:
    from nlp.text_head import TextHead


class TrainedNotFoundError(LookupError):
    pass


class HeadClassifier:
    """One label per text: the head's most probable class, score = probability."""

    def __init__(self, card: dict[str, Any], head: LinearHead, featurizer: Featurizer,
                 text: TextHead | None = None) -> None:
        self.card = card
        self.name: str = card["name"]
        self.version: str = card["version"]
        self.task: str = card["task"]
        self.model_id: str | None = card["model_id"]
        self.head = head
        self.featurizer = featurizer
        self.text = text
        # the text head's share: chosen by the trainer since text head v2 (0.5 before)
        self.text_weight = float(card.get("text_head", {}).get("weight", 0.5))
        # trainer v3's decision rule (prior correction, per-class biases); none before
        self.decision = (Decision.from_card(head.classes, card["decision"])
                         if "decision" in card else None)
        if text is not None and text.classes != head.classes:
            raise ValueError(f"{self.name} {self.version}: the two heads disagree on classes")

    def predict(self, texts: Sequence[str]) -> tuple[list[str], list[float]]:
        if not texts:
            return [], []
        probs = self.head.scores(self.featurizer(texts))
        if self.text is not None:
            from nlp.text_head import average

            probs = average(probs, self.text.scores(texts), self.text_weight)
        if self.decision is not None:
            probs = self.decision.scores(probs)
        best = probs.argmax(axis=1)
        return ([self.head.classes[i] for i in best],
                [float(probs[row, i]) for row, i in enumerate(best)])

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
    text = None
    if "text_head" in card:
        from nlp import text_head

        modelfiles.verify(folder, {text_head.WEIGHTS: card["text_head"]["sha256"]})
        text = text_head.TextHead.load(folder)
    featurizer = Featurizer(card["features"], threads=threads,
                            model_path=Path(model_path) if model_path else None)
    if featurizer.embedding_model_id != card["embedding_model"]:
        raise TrainedNotFoundError(
            f"{name} {card['version']} was trained on embeddings from"
            f" {card['embedding_model']}, but {featurizer.embedding_model_id} is configured")
    return HeadClassifier(card, head, featurizer, text)

"""What classifiers return: texts in, labels out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Label:
    task: str  # "topic", "sentiment", ...
    label: str
    score: float | None
    classifier: str  # registered name, e.g. "topics.keywords"
    version: str  # e.g. "v1"
    model_id: str | None = None
    evidence: tuple[str, ...] = ()


class Classifier(Protocol):
    name: str
    version: str
    task: str
    model_id: str | None

    def classify(self, texts: Sequence[str]) -> list[list[Label]]:
        """One list of labels per text, in input order."""
        ...

"""The decision rule of trainer v3: from a trained head's averaged class
probabilities to a label, tilted towards the rare classes for macro-F1.

A head fitted by plain logistic regression picks the most probable class,
which serves accuracy; on a set where one class holds 46% of the posts and
another 1%, the rare classes lose on recall and the macro-F1 (the mean of
the per-class F1) suffers. Trainer v3 therefore learns two corrections on
held-out probabilities (``nlp.training.select``) and records them in the
model card, and prediction applies them:

- a prior correction: each class's probability divided by its share of the
  training posts to the power ``prior`` (0 = none, 1 = as if the classes
  were equally common);
- a bias per class, added to the log of the corrected probability (a
  threshold moved per class).

The label is the class with the largest corrected score; its score is the
corrected probabilities renormalised to sum to 1 (with no correction, the
probability itself).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

_FLOOR = 1e-12  # log of a zero probability (a class a fold never saw)


@dataclass(frozen=True)
class Decision:
    classes: list[str]
    shares: list[float]  # each class's share of the training posts
    prior: float = 0.0
    bias: list[float] = field(default_factory=list)  # per class, log scale; empty = none

    def logits(self, probs: np.ndarray) -> np.ndarray:
        """Corrected log-scores, one column per class."""
        out = np.log(np.maximum(probs, _FLOOR))
        if self.prior:
            out = out - self.prior * np.log(np.asarray(self.shares))
        if self.bias:
            out = out + np.asarray(self.bias)
        return np.asarray(out)

    def scores(self, probs: np.ndarray) -> np.ndarray:
        """The corrected probabilities (rows sum to 1)."""
        if not self.prior and not any(self.bias):
            return probs
        z = self.logits(probs)
        z = np.exp(z - z.max(axis=1, keepdims=True))
        return np.asarray(z / z.sum(axis=1, keepdims=True))

    def to_card(self) -> dict[str, Any]:
        return {"prior": self.prior,
                "class_shares": {c: round(s, 6) for c, s in zip(self.classes, self.shares,
                                                                strict=True)},
                "bias": {c: b for c, b in zip(self.classes, self.bias or [0.0] * len(self.classes),
                                              strict=True)}}

    @classmethod
    def from_card(cls, classes: Sequence[str], saved: Mapping[str, Any]) -> Decision:
        shares = saved["class_shares"]
        bias = saved.get("bias") or {}
        return cls(list(classes), [float(shares[c]) for c in classes], float(saved["prior"]),
                   [float(bias.get(c, 0.0)) for c in classes])


def class_shares(labels: Sequence[str], classes: Sequence[str]) -> list[float]:
    """Each class's share of ``labels`` (in ``classes`` order)."""
    counts = {c: 0 for c in classes}
    for label in labels:
        counts[label] += 1
    return [counts[c] / len(labels) for c in classes]

"""A small trainable head (multinomial logistic regression) over features
computed from each post: the MiniLM embedding, optionally with VADER's four
scores. Saved as plain arrays (``.npz``, no pickle), so loading never runs
code from the file, and predicting needs numpy only."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

WEIGHTS = "head.npz"


def probabilities(z: np.ndarray, n_classes: int) -> np.ndarray:
    """Logistic-regression decision values to class probabilities (one column
    of logits for a binary model, one per class otherwise)."""
    if n_classes == 2 and z.shape[1] == 1:
        p1 = 1.0 / (1.0 + np.exp(-z[:, 0]))
        return np.stack([1.0 - p1, p1], axis=1)
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return np.asarray(e / e.sum(axis=1, keepdims=True))


@dataclass
class LinearHead:
    classes: list[str]
    coef: np.ndarray  # (n_classes, n_features); one row for a binary head
    intercept: np.ndarray  # (n_classes,) or (1,)
    mean: np.ndarray  # feature standardisation
    scale: np.ndarray

    def scores(self, features: np.ndarray) -> np.ndarray:
        """Class probabilities, one row per post, columns in ``classes`` order."""
        z = ((features - self.mean) / self.scale) @ self.coef.T + self.intercept
        return probabilities(z, len(self.classes))

    def predict(self, features: np.ndarray) -> tuple[list[str], np.ndarray]:
        probs = self.scores(features)
        best = probs.argmax(axis=1)
        return [self.classes[i] for i in best], probs[np.arange(len(best)), best]

    def save(self, folder: Path) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / WEIGHTS
        np.savez(path, classes=np.array(self.classes, dtype=str), coef=self.coef,
                 intercept=self.intercept, mean=self.mean, scale=self.scale)
        return path

    @classmethod
    def load(cls, folder: Path) -> LinearHead:
        with np.load(folder / WEIGHTS, allow_pickle=False) as data:
            return cls([str(c) for c in data["classes"]], data["coef"], data["intercept"],
                       data["mean"], data["scale"])


def fit_head(features: np.ndarray, labels: Sequence[str], *, c: float = 1.0,
             balanced: bool = False, seed: int = 0) -> LinearHead:
    """Fit standardised logistic regression (scikit-learn, the 'ml' extra)."""
    from sklearn.linear_model import LogisticRegression

    mean = features.mean(axis=0)
    scale = features.std(axis=0) + 1e-6
    model = LogisticRegression(C=c, max_iter=2000, random_state=seed,
                               class_weight="balanced" if balanced else None)
    model.fit((features - mean) / scale, list(labels))
    return LinearHead([str(x) for x in model.classes_], np.asarray(model.coef_),
                      np.asarray(model.intercept_), mean, scale)

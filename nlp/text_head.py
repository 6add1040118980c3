"""An optional second head on character n-grams (TF-IDF, char 2-5 within
words), averaged with the embedding head. It sees spelling, names and
hashtags that a frozen sentence embedding blurs. Chosen with the feature set
``...+tfidf`` in ``listener train``; needs scikit-learn at prediction time
too. Saved as plain arrays (``text_head.npz``), never pickled."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from nlp.embeddings import model_text
from nlp.heads import probabilities

WEIGHTS = "text_head.npz"
C = 10.0  # measured on the dev halves: 3 and 10 do about equally well
WEIGHT = 0.5  # share of the text head in the averaged probabilities
_OPTIONS: dict[str, Any] = {"analyzer": "char_wb", "ngram_range": (2, 5),
                            "sublinear_tf": True, "lowercase": True}


def _prepare(texts: Sequence[str]) -> list[str]:
    return [model_text(t) for t in texts]


@dataclass
class TextHead:
    classes: list[str]
    vocabulary: list[str]
    idf: np.ndarray
    coef: np.ndarray
    intercept: np.ndarray

    def __post_init__(self) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer

        vec = TfidfVectorizer(**_OPTIONS,
                              vocabulary={t: i for i, t in enumerate(self.vocabulary)})
        vec._validate_vocabulary()
        vec.idf_ = self.idf
        self._vectorizer = vec

    def scores(self, texts: Sequence[str]) -> np.ndarray:
        matrix = self._vectorizer.transform(_prepare(texts))
        z = np.asarray(matrix @ self.coef.T) + self.intercept
        return probabilities(z, len(self.classes))

    def save(self, folder: Path) -> Path:
        path = folder / WEIGHTS
        np.savez(path, classes=np.array(self.classes, dtype=str),
                 vocabulary=np.array(self.vocabulary, dtype=str), idf=self.idf,
                 coef=self.coef, intercept=self.intercept)
        return path

    @classmethod
    def load(cls, folder: Path) -> TextHead:
        with np.load(folder / WEIGHTS, allow_pickle=False) as data:
            return cls([str(c) for c in data["classes"]], [str(t) for t in data["vocabulary"]],
                       data["idf"], data["coef"], data["intercept"])


def average(embedding_probs: np.ndarray, text_probs: np.ndarray) -> np.ndarray:
    """The averaged class probabilities (both heads list classes sorted)."""
    return np.asarray((1.0 - WEIGHT) * embedding_probs + WEIGHT * text_probs)


def fit_text_head(texts: Sequence[str], labels: Sequence[str], *, c: float = C,
                  seed: int = 0) -> TextHead:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = TfidfVectorizer(**_OPTIONS, min_df=2 if len(texts) >= 50 else 1)
    matrix = vec.fit_transform(_prepare(texts))
    model = LogisticRegression(C=c, max_iter=3000, random_state=seed)
    model.fit(matrix, list(labels))
    return TextHead([str(x) for x in model.classes_],
                    [str(t) for t in vec.get_feature_names_out()],
                    np.asarray(vec.idf_, dtype=np.float32),
                    np.asarray(model.coef_, dtype=np.float32),
                    np.asarray(model.intercept_, dtype=np.float32))

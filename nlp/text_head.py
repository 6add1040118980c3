"""An optional second head on the text itself (TF-IDF over character
n-grams, 2-5 within words, and with text head v2 also word 1-2-grams),
averaged with the embedding head. It sees spelling, names, hashtags and
word pairs that a frozen sentence embedding blurs. Chosen with the feature
sets ``...+tfidf`` in ``listener train``; needs scikit-learn at prediction
time too. Saved as plain arrays (``text_head.npz``), never pickled.

Versions (``TextHead.version``, recorded in the model card):

- v1: character n-grams only, on ``model_text`` (links -> "http", handles
  -> "@user"); the files written before v2 load as v1 and predict as before.
- v2: character n-grams plus word 1-2-grams (``sublinear_tf``), on
  ``head_text``: as v1, and each hashtag also as its words
  (``#GarbageMafia`` -> ``#GarbageMafia Garbage Mafia``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from nlp import textprep
from nlp.embeddings import model_text
from nlp.heads import probabilities

WEIGHTS = "text_head.npz"
C = 10.0  # measured on the dev halves: 3 and 10 do about equally well
WEIGHT = 0.5  # share of the text head in the averaged probabilities (v1)
VERSION = 2  # what fit_text_head builds
_CHAR: dict[str, Any] = {"analyzer": "char_wb", "ngram_range": (2, 5),
                         "sublinear_tf": True, "lowercase": True}
_WORD: dict[str, Any] = {"analyzer": "word", "ngram_range": (1, 2), "sublinear_tf": True,
                         "lowercase": True, "token_pattern": r"(?u)\b\w+\b"}
_OPTIONS = _CHAR  # v1's only block


def head_text(text: str) -> str:
    """What text head v2 sees: ``model_text``, with each hashtag followed by
    its words, so ``#PotholeHell`` also counts as "pothole" and "hell"."""
    text = model_text(text)
    return textprep.HASHTAG_RE.sub(
        lambda m: f"{m.group(0)} {textprep.hashtag_words(m.group(1))}", text)


def _prepare(texts: Sequence[str], version: int) -> list[str]:
    prep = model_text if version == 1 else head_text
    return [prep(t) for t in texts]


def _vectorizer(options: dict[str, Any], vocabulary: list[str], idf: np.ndarray) -> Any:
    from sklearn.feature_extraction.text import TfidfVectorizer

    vec = TfidfVectorizer(**options, vocabulary={t: i for i, t in enumerate(vocabulary)})
    vec._validate_vocabulary()
    vec.idf_ = idf
    return vec


@dataclass
class TextHead:
    classes: list[str]
    vocabulary: list[str]  # character n-grams
    idf: np.ndarray
    coef: np.ndarray  # (n_classes or 1, characters then words)
    intercept: np.ndarray
    word_vocabulary: list[str] = field(default_factory=list)  # v2
    word_idf: np.ndarray | None = None
    version: int = 1

    def __post_init__(self) -> None:
        self._vectorizers = [_vectorizer(_CHAR, self.vocabulary, self.idf)]
        if self.version >= 2:
            assert self.word_idf is not None
            self._vectorizers.append(_vectorizer(_WORD, self.word_vocabulary, self.word_idf))

    @property
    def n_features(self) -> int:
        return len(self.vocabulary) + len(self.word_vocabulary)

    def matrix(self, texts: Sequence[str]) -> Any:
        """The TF-IDF rows of ``texts`` (sparse), blocks side by side."""
        import scipy.sparse as sp

        prepared = _prepare(texts, self.version)
        return sp.hstack([v.transform(prepared) for v in self._vectorizers]).tocsr()

    def scores(self, texts: Sequence[str]) -> np.ndarray:
        z = np.asarray(self.matrix(texts) @ self.coef.T) + self.intercept
        return probabilities(z, len(self.classes))

    def save(self, folder: Path) -> Path:
        path = folder / WEIGHTS
        arrays: dict[str, Any] = {
            "classes": np.array(self.classes, dtype=str),
            "vocabulary": np.array(self.vocabulary, dtype=str), "idf": self.idf,
            "coef": self.coef, "intercept": self.intercept}
        if self.version >= 2:
            arrays.update(version=np.array(self.version),
                          word_vocabulary=np.array(self.word_vocabulary, dtype=str),
                          word_idf=self.word_idf)
        np.savez(path, **arrays)
        return path

    @classmethod
    def load(cls, folder: Path) -> TextHead:
        with np.load(folder / WEIGHTS, allow_pickle=False) as data:
            if "version" not in data.files:  # written before v2
                return cls([str(c) for c in data["classes"]],
                           [str(t) for t in data["vocabulary"]],
                           data["idf"], data["coef"], data["intercept"])
            return cls([str(c) for c in data["classes"]], [str(t) for t in data["vocabulary"]],
                       data["idf"], data["coef"], data["intercept"],
                       [str(t) for t in data["word_vocabulary"]], data["word_idf"],
                       int(data["version"]))


def average(embedding_probs: np.ndarray, text_probs: np.ndarray,
            weight: float = WEIGHT) -> np.ndarray:
    """The averaged class probabilities (both heads list classes sorted);
    ``weight`` is the text head's share."""
    return np.asarray((1.0 - weight) * embedding_probs + weight * text_probs)


def fit_text_head(texts: Sequence[str], labels: Sequence[str], *, c: float = C,
                  seed: int = 0, version: int = VERSION) -> TextHead:
    import scipy.sparse as sp
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    if version not in (1, 2):
        raise ValueError(f"text head version {version} is not known (1 or 2)")
    min_df = 2 if len(texts) >= 50 else 1
    prepared = _prepare(texts, version)
    chars = TfidfVectorizer(**_CHAR, min_df=min_df)
    blocks = [chars.fit_transform(prepared)]
    words = None
    if version >= 2:
        words = TfidfVectorizer(**_WORD, min_df=min_df)
        blocks.append(words.fit_transform(prepared))
    model = LogisticRegression(C=c, max_iter=3000, random_state=seed)
    model.fit(sp.hstack(blocks).tocsr(), list(labels))
    return TextHead([str(x) for x in model.classes_],
                    [str(t) for t in chars.get_feature_names_out()],
                    np.asarray(chars.idf_, dtype=np.float32),
                    np.asarray(model.coef_, dtype=np.float32),
                    np.asarray(model.intercept_, dtype=np.float32),
                    [str(t) for t in words.get_feature_names_out()] if words else [],
                    np.asarray(words.idf_, dtype=np.float32) if words else None,
                    version)

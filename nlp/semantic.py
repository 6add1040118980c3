"""Semantic topics: a post gets the topic whose prototypes it is nearest in
an embedding space, when it is near enough, with no training.

Prototypes (``nlp.prototypes``) come from config.yaml and staff labels. A
post's score for a topic is its cosine similarity to the topic's nearest
prototype. The best topic is given when its score reaches the topic's
threshold (``topics.<slug>.semantic_threshold``, else
``nlp.semantic.threshold``) and leads the second-best topic by
``nlp.semantic.margin``; a post nearest a negative prototype (a post staff
labelled as no topic) gets none. Keyword exclusions still veto: a vetoed
topic is never given. The evidence names the nearest prototype and the
score: ``semantic: near 'bin collection' 0.71``.

Embeddings: the core static WordLlama vectors by default; MiniLM (the ``ml``
extra) with ``nlp.semantic.embeddings: minilm``. Both are sha256-checked
and loaded offline.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np

from nlp.blas import one_thread
from nlp.config import NlpSettings, TopicSpec
from nlp.keywords import KeywordTopicsV2, Matches
from nlp.prototypes import StaffLabel, digest, keyword_words, read_staff_labels, topic_prototypes
from nlp.registry import BuildContext, Registered, classifier
from nlp.static_embed import Embeddings, shared_static_embedder
from nlp.types import Label


def topic_embedder(settings: NlpSettings) -> Embeddings:
    """The embeddings ``nlp.semantic.embeddings`` names, shared per process."""
    if settings.semantic.embeddings == "minilm":
        from nlp.embeddings import shared_embedder

        path = settings.embedding_model_path
        return shared_embedder(Path(path) if path else None, settings.torch_threads)
    return shared_static_embedder()


def decide(best: np.ndarray, thresholds: np.ndarray, margin: float,
           negative: np.ndarray) -> np.ndarray:
    """The topic index given to each post, or -1: its best topic, when the
    score reaches that topic's threshold, leads the second best by
    ``margin`` and beats every negative prototype. ``best`` is posts x
    topics (a vetoed topic already set to -1)."""
    if best.shape[1] == 0:
        return np.full(len(best), -1, dtype=np.int64)
    top = best.argmax(axis=1)
    rows = np.arange(len(best))
    score = best[rows, top]
    second = np.partition(best, -2, axis=1)[:, -2] if best.shape[1] > 1 else np.full(
        len(best), -1.0)
    ok = (score >= thresholds[top]) & (score - second >= margin) & (score > negative)
    return np.where(ok, top, -1)


@classifier("topics.semantic", "v1", task="topic")
class SemanticTopics(Registered):
    """At most one topic per post, score = cosine similarity (0..1)."""

    def __init__(self, topics: Mapping[str, TopicSpec], embedder: Embeddings, *,
                 threshold: float, margin: float = 0.0, staff: Sequence[StaffLabel] = (),
                 none_labels: Sequence[str] = (), batch_size: int = 256) -> None:
        self.keywords = KeywordTopicsV2(topics, batch_size=batch_size)  # for exclusions
        self.embedder = embedder
        self.slugs = list(topics)
        self.prototypes = topic_prototypes(topics, staff, none_labels)
        index = {s: i for i, s in enumerate(self.slugs)}
        self._owner = np.array([index.get(p.topic, -1) for p in self.prototypes])
        self._vectors = np.ascontiguousarray(
            embedder.encode([p.text for p in self.prototypes]).T)  # dim x prototypes
        self._words = {s: keyword_words(spec) for s, spec in topics.items()}
        self._word_vectors = {s: embedder.encode(w) for s, w in self._words.items() if w}
        self.thresholds = np.array([topics[s].semantic_threshold
                                    if topics[s].semantic_threshold is not None else threshold
                                    for s in self.slugs], dtype=np.float32)
        self.margin = margin
        self.model_id: str | None = (
            f"{embedder.model_id}|prototypes:{digest(self.prototypes)}|t={threshold}"
            f"|m={margin}")

    @classmethod
    def from_context(cls, ctx: BuildContext) -> SemanticTopics:
        s = ctx.settings
        return cls(ctx.topics, topic_embedder(s), threshold=s.semantic.threshold,
                   margin=s.semantic.margin, staff=read_staff_labels(s.labelled_files),
                   none_labels=s.none_labels, batch_size=min(s.batch_size, 1000))

    def scores(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per post: each topic's score (posts x topics), the index of each
        topic's nearest prototype, and the best negative prototype's score."""
        return self.vector_scores(self.embedder.encode(texts))

    def vector_scores(self, vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        with one_thread():  # a small product: one BLAS thread (nlp.blas)
            sims = vectors @ self._vectors
        n, k = len(vectors), len(self.slugs)
        best = np.full((n, k), -1.0, dtype=np.float32)
        nearest = np.zeros((n, k), dtype=np.int64)
        for t in range(k):
            cols = np.flatnonzero(self._owner == t)
            pick = sims[:, cols].argmax(axis=1)
            nearest[:, t] = cols[pick]
            best[:, t] = sims[np.arange(n), nearest[:, t]]
        negative = np.flatnonzero(self._owner == -1)
        worst = sims[:, negative].max(axis=1) if len(negative) else np.full(n, -1.0)
        return best, nearest, worst

    def assign(self, texts: Sequence[str], matches: Sequence[Matches]) -> list[list[Label]]:
        """The semantic label of each post (or none), given its keyword matches
        (whose exclusions veto topics)."""
        if not texts:
            return []
        return self.assign_vectors(self.embedder.encode(texts), matches)

    def assign_vectors(self, vectors: np.ndarray, matches: Sequence[Matches]
                       ) -> list[list[Label]]:
        """``assign`` for posts already embedded (one row per post)."""
        if not len(vectors):
            return []
        with one_thread():  # the evidence's products too, one entry per batch (nlp.blas)
            return self._assign_vectors(vectors, matches)

    def _assign_vectors(self, vectors: np.ndarray, matches: Sequence[Matches]
                        ) -> list[list[Label]]:
        best, nearest, negative = self.vector_scores(vectors)
        for i, m in enumerate(matches):
            for slug in m.vetoed:
                best[i, self.slugs.index(slug)] = -1.0
        given = decide(best, self.thresholds, self.margin, negative)
        out: list[list[Label]] = []
        for i, top in enumerate(given):
            if top < 0:
                out.append([])
                continue
            score = float(best[i, top])
            shown = self._shown(vectors[i], int(top), int(nearest[i, top]))
            out.append([Label("topic", self.slugs[top], round(score, 4), self.name,
                              self.version, self.model_id,
                              (f"semantic: near '{shown}' {score:.2f}",))])
        return out

    def _shown(self, vector: np.ndarray, topic: int, proto: int) -> str:
        """How evidence names the nearest prototype; for the keyword list,
        the single term or phrase nearest the post."""
        p = self.prototypes[proto]
        if p.kind != "keywords":
            return p.shown
        slug = self.slugs[topic]
        sims = self._word_vectors[slug] @ vector
        return self._words[slug][int(sims.argmax())]

    def classify(self, texts: Sequence[str]) -> list[list[Label]]:
        return self.assign(texts, self.keywords.matches(texts))


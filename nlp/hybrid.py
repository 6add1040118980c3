"""Keywords first, semantic matching for the posts they miss.

``topics.hybrid`` v1: a post any keyword list matches keeps exactly the
keyword labels (``topics.keywords`` v2: precision first, the matched terms
as evidence); a post no list matches gets the semantic topic, if any
(``topics.semantic`` v1: the nearest prototype as evidence). Each label
keeps the classifier that made it, so a report can tell keyword labels from
semantic ones. Keyword exclusions veto both.

``topics.hybrid`` v2: the same on ``topics.keywords`` v3 (hashtags split at
acronyms), and a post that several lists match has its keyword labels
ranked by how near the post is to each topic's prototypes: each such label's
score is that nearness (cosine), so the nearest topic is the post's best
topic ("potholes outside the school" is about roads first). A post one list
matches keeps score 1.0. The labels themselves are the keyword labels, as
before."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import numpy as np

from nlp.keywords import KeywordTopics, KeywordTopicsV3
from nlp.registry import BuildContext, Registered, classifier
from nlp.semantic import SemanticTopics
from nlp.types import Label


@classifier("topics.hybrid", "v1", task="topic")
class HybridTopics(Registered):
    def __init__(self, semantic: SemanticTopics) -> None:
        self.semantic = semantic
        self.keywords: KeywordTopics = semantic.keywords
        self.model_id: str | None = f"{self.keywords.model_id}|{semantic.model_id}"

    @classmethod
    def from_context(cls, ctx: BuildContext) -> HybridTopics:
        return cls(SemanticTopics.from_context(ctx))

    def classify(self, texts: Sequence[str]) -> list[list[Label]]:
        matches = self.keywords.matches(texts)
        out = [self.keywords.labels(m) for m in matches]
        missed = [i for i, labels in enumerate(out) if not labels]
        found = self.semantic.assign([texts[i] for i in missed], [matches[i] for i in missed])
        for i, labels in zip(missed, found, strict=True):
            out[i] = labels
        return out


def ranked(labels: Sequence[Label], nearness: np.ndarray, slugs: Sequence[str]
           ) -> list[Label]:
    """Keyword labels of one post scored by its nearness to each topic
    (``nearness``: one cosine per topic in ``slugs`` order), nearest first."""
    index = {s: i for i, s in enumerate(slugs)}
    scored = [dataclasses.replace(lab, score=round(float(nearness[index[lab.label]]), 4))
              for lab in labels]
    return sorted(scored, key=lambda lab: -(lab.score or 0.0))


@classifier("topics.hybrid", "v2", task="topic")
class HybridTopicsV2(HybridTopics):
    """v2: keywords v3; several keyword topics ranked by semantic nearness."""

    def __init__(self, semantic: SemanticTopics) -> None:
        super().__init__(semantic)
        self.keywords = KeywordTopicsV3(semantic.keywords.topics,
                                        batch_size=semantic.keywords.batch_size)
        self.model_id = f"{self.keywords.model_id}|{semantic.model_id}"

    @classmethod
    def from_context(cls, ctx: BuildContext) -> HybridTopicsV2:
        return cls(SemanticTopics.from_context(ctx))

    def classify(self, texts: Sequence[str]) -> list[list[Label]]:
        matches = self.keywords.matches(texts)
        out = [self.keywords.labels(m) for m in matches]
        missed = [i for i, labels in enumerate(out) if not labels]
        several = [i for i, labels in enumerate(out) if len(labels) > 1]
        if not missed and not several:
            return out
        sem = self.semantic
        vectors = sem.embedder.encode([texts[i] for i in [*missed, *several]])
        found = sem.assign_vectors(vectors[:len(missed)], [matches[i] for i in missed])
        for i, labels in zip(missed, found, strict=True):
            out[i] = labels
        if several:
            nearness, _, _ = sem.vector_scores(vectors[len(missed):])
            for row, i in enumerate(several):
                out[i] = ranked(out[i], nearness[row], sem.slugs)
        return out

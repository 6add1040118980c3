"""Configured topics as points in embedding space, to say which topic a
theme is nearest to.

A topic's prototypes are its own words: its label, terms, phrases and
hashtags (and ``examples`` sentences where the config has them), each
embedded on its own. A theme's nearness to a topic is the highest cosine
between the theme's centroid and one of the topic's prototypes, and the
prototype that gave it is the evidence ("near 'street light' 0.71").
This is the same idea as the semantic topic matching of issue 13, applied
to a theme's centroid instead of one post.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from nlp.config import TopicSpec
from nlp.static_embed import Embeddings

if TYPE_CHECKING:
    from nlp.themes import Theme


def topic_texts(spec: TopicSpec) -> list[str]:
    """The texts that stand for a topic: label, terms, phrases, hashtags
    (without '#') and any example sentences, each once."""
    words = [spec.label, *spec.terms, *spec.phrases,
             *(h.lstrip("#") for h in spec.hashtags), *getattr(spec, "examples", ())]
    return list(dict.fromkeys(w.strip() for w in words if w.strip()))


@dataclass(frozen=True)
class TopicPrototypes:
    slugs: tuple[str, ...]  # one per prototype row
    texts: tuple[str, ...]
    vectors: np.ndarray  # unit rows

    @classmethod
    def build(cls, embedder: Embeddings, topics: Mapping[str, Sequence[str]]) -> TopicPrototypes:
        """Prototypes from each topic slug's texts (see ``topic_texts``)."""
        slugs = tuple(s for s, texts in topics.items() for _ in texts)
        texts = tuple(t for ts in topics.values() for t in ts)
        vectors = embedder.encode(list(texts)) if texts else np.zeros((0, embedder.dim))
        return cls(slugs, texts, np.asarray(vectors, dtype=np.float32))

    @classmethod
    def from_specs(cls, embedder: Embeddings, topics: Mapping[str, TopicSpec]
                   ) -> TopicPrototypes:
        return cls.build(embedder, {s: topic_texts(spec) for s, spec in topics.items()})

    def nearest(self, vector: np.ndarray) -> tuple[str, float, str] | None:
        """(topic slug, cosine, prototype text) nearest one unit vector."""
        if not self.slugs:
            return None
        sims = self.vectors @ np.asarray(vector, dtype=np.float32)
        best = int(np.argmax(sims))
        return self.slugs[best], round(float(sims[best]), 4), self.texts[best]

    def annotate(self, theme: Theme) -> Theme:
        """The theme with its nearest topic filled in."""
        found = self.nearest(theme.centroid)
        if found is None:
            return theme
        slug, sim, text = found
        return dataclasses.replace(theme, nearest_topic=slug, topic_similarity=sim,
                                   topic_evidence=text)

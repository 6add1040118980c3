"""Themes: what a period's posts (usually those no topic matched) are about.

``find_themes`` takes the posts' texts and their embedding rows (from any
``nlp.static_embed.Embeddings``), clusters them (``nlp.clustering``), ranks
each group's terms and phrases by c-TF-IDF (``nlp.ctfidf``) against the
other groups and the unclustered posts, and returns the groups as
``Theme``s, largest first. Authors are opaque keys the caller passes (one
per post, e.g. the stored pseudonym); they are only counted and used to
pick representatives from different people. Publication rules (the
distinct-author floor) are the caller's: ``Theme.authors`` is what they
need.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field

import numpy as np

from nlp import ctfidf, terms, textprep
from nlp.clustering import ClusterParams, centroid, cluster, unit_rows
from nlp.prototypes import TopicPrototypes


@dataclass(frozen=True)
class Theme:
    label: str  # its top terms or phrases, e.g. "street light, dark, wire"
    terms: tuple[str, ...]  # top c-TF-IDF terms and phrases, best first
    members: tuple[int, ...]  # indices into the texts given, in input order
    centroid: np.ndarray = field(repr=False)  # unit-length mean of the members' vectors
    cohesion: float  # mean cosine of the members to the centroid
    representatives: tuple[int, ...]  # up to 3 members nearest the centroid
    authors: int | None  # distinct author keys among members (None: no keys given)
    nearest_topic: str | None = None  # slug of the nearest configured topic
    topic_similarity: float | None = None  # cosine of the centroid to that topic
    topic_evidence: str | None = None  # the topic's text it is nearest to

    @property
    def size(self) -> int:
        return len(self.members)


def find_themes(texts: Sequence[str], vectors: np.ndarray, *,
                authors: Sequence[Hashable] | None = None,
                prototypes: TopicPrototypes | None = None,
                params: ClusterParams | None = None,
                n_terms: int = 10, n_representatives: int = 3) -> list[Theme]:
    """Themes among ``texts`` (row i of ``vectors`` embeds text i), largest
    first; none smaller than ``params.min_size``. With ``prototypes`` each
    theme names its nearest configured topic and how near it is."""
    if len(texts) != len(vectors):
        raise ValueError(f"{len(texts)} texts but {len(vectors)} vectors")
    if authors is not None and len(authors) != len(texts):
        raise ValueError(f"{len(texts)} texts but {len(authors)} author keys")
    unit, _ = unit_rows(vectors) if len(texts) else (np.zeros((0, 1), np.float32), None)
    labels = cluster(unit, params)
    count = int(labels.max()) + 1 if len(labels) else 0
    if count == 0:
        return []
    groups = [np.flatnonzero(labels == g) for g in range(count)]
    ranked = _ranked_terms(texts, labels, groups, n_terms)
    themes = []
    for members, top in zip(groups, ranked, strict=True):
        centre = centroid(unit[members])
        sims = unit[members] @ centre
        themes.append(Theme(
            label=ctfidf.make_label(top), terms=tuple(top),
            members=tuple(int(i) for i in members), centroid=centre,
            cohesion=round(float(sims.mean()), 4),
            representatives=representatives(texts, members, sims, authors, n_representatives),
            authors=None if authors is None else len({authors[int(i)] for i in members})))
    if prototypes is not None:
        themes = [prototypes.annotate(t) for t in themes]
    themes.sort(key=lambda t: (-t.size, t.members[0]))
    return themes


def _ranked_terms(texts: Sequence[str], labels: np.ndarray, groups: list[np.ndarray],
                  n_terms: int) -> list[list[str]]:
    per_post = terms.post_terms(texts)
    classes = [terms.document_frequencies(per_post[i] for i in members) for members in groups]
    background = terms.document_frequencies(
        per_post[i] for i in np.flatnonzero(labels < 0))
    scored = ctfidf.class_tfidf(classes, background)
    return [[term for term, _ in ranked[:n_terms]] for ranked in scored]


def representatives(texts: Sequence[str], members: np.ndarray, sims: np.ndarray,
                    authors: Sequence[Hashable] | None, k: int = 3) -> tuple[int, ...]:
    """Up to ``k`` members nearest the centroid: at most one per author (when
    keys are given) and no two with the same words once links and handles
    are set aside (repeated posts, the same reply to different people)."""
    picked: list[int] = []
    seen_authors: set[Hashable] = set()
    seen_texts: set[str] = set()
    for j in np.argsort(-sims, kind="stable"):
        i = int(members[j])
        words = " ".join(textprep.clean(texts[i]).text.lower().split())
        if words in seen_texts or (authors is not None and authors[i] in seen_authors):
            continue
        picked.append(i)
        seen_texts.add(words)
        if authors is not None:
            seen_authors.add(authors[i])
        if len(picked) == k:
            break
    return tuple(picked)


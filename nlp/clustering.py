"""Groups of posts that say the same thing: average-linkage clustering of
sentence embeddings, with a cut on similarity, so unrelated posts stay
apart instead of being forced into a group.

Average linkage (UPGMA) merges two groups while the mean cosine similarity
between their posts is at least ``link_similarity``; scipy's
``linkage``/``fcluster`` do it exactly (nearest-neighbour chain, O(n^2)
time and memory). Every group of at least ``min_size`` posts is a seed.

Above ``sample_size`` posts a seeded random sample is clustered. Then
every post not in a seed joins the seed it is nearest to on average (its
mean cosine to the seed's members, which is its dot product with their mean
vector) when that mean reaches ``link_similarity``: the criterion by which
average linkage merges. Sampling bounds the work whatever the volume, at a
price: a group must have about ``min_size * n / sample_size`` posts to be
seen at all.

Deterministic: the sample comes from a seeded generator, and ties are
broken by post order.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class ClusterParams:
    link_similarity: float = 0.4  # mean cosine between two groups to merge them
    min_size: int = 10  # fewest posts in a group that is kept
    sample_size: int = 6000  # most posts clustered exactly (O(n^2) memory: 6000 -> ~150 MB)
    seed: int = 0


def unit_rows(vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rows scaled to unit length, and which rows were non-zero."""
    matrix = np.asarray(vectors, dtype=np.float32)
    if matrix.ndim != 2:
        raise ValueError(f"expected one vector per post (a 2-D array), got shape {matrix.shape}")
    norms = np.linalg.norm(matrix, axis=1)
    ok = norms > 1e-12
    out = np.zeros_like(matrix)
    out[ok] = matrix[ok] / norms[ok, None]
    return out, ok


def centroid(vectors: np.ndarray) -> np.ndarray:
    """The unit-length mean direction of some unit rows."""
    mean = vectors.mean(axis=0)
    norm = float(np.linalg.norm(mean))
    out: np.ndarray = (mean / norm if norm > 0 else mean).astype(np.float32)
    return out


def _average_linkage(vectors: np.ndarray, link_similarity: float) -> np.ndarray:
    from scipy.cluster.hierarchy import fcluster, linkage

    if len(vectors) < 2:
        return np.ones(len(vectors), dtype=np.int64)
    tree = linkage(vectors.astype(np.float64), method="average", metric="cosine")
    cut = np.asarray(fcluster(tree, t=1.0 - link_similarity, criterion="distance"))
    return cut.astype(np.int64)


def cluster(vectors: np.ndarray, params: ClusterParams | None = None) -> np.ndarray:
    """One group number per row (0, 1, ... by first row), -1 for rows in no
    group of ``min_size`` or more. Rows must be unit length or zero (zero
    rows, e.g. empty texts, are in no group)."""
    p = params or ClusterParams()
    n = len(vectors)
    labels = np.full(n, -1, dtype=np.int64)
    usable = np.flatnonzero(np.linalg.norm(vectors, axis=1) > 1e-6)
    if len(usable) < p.min_size:
        return labels
    sampled = len(usable) > p.sample_size
    if sampled:
        rng = np.random.default_rng(p.seed)
        chosen = np.sort(rng.choice(usable, size=p.sample_size, replace=False))
    else:
        chosen = usable
    cut = _average_linkage(vectors[chosen], p.link_similarity)
    seed_min = p.min_size if not sampled else max(
        3, math.ceil(p.min_size * p.sample_size / len(usable)))
    groups, counts = np.unique(cut, return_counts=True)
    seeds = [chosen[cut == g] for g, c in zip(groups, counts, strict=True) if c >= seed_min]
    if not seeds:
        return labels
    # Every post not in a seed joins the seed it is nearest on average (the
    # mean of its cosines to the seed's members: its dot product with their
    # mean vector) when that average reaches link_similarity, the criterion
    # the clustering merged by.
    means = np.vstack([vectors[m].mean(axis=0) for m in seeds]).astype(np.float32)
    for start in range(0, len(usable), 20_000):
        rows = usable[start:start + 20_000]
        sims = vectors[rows] @ means.T
        best = sims.argmax(axis=1)
        near = sims[np.arange(len(rows)), best] >= p.link_similarity
        labels[rows[near]] = best[near]
    for number, members in enumerate(seeds):
        labels[members] = number  # a seed's own posts stay in it
    return _renumber(labels, p.min_size)


def _renumber(labels: np.ndarray, min_size: int) -> np.ndarray:
    """Drop groups under ``min_size``; number the rest by their first row."""
    out = np.full(len(labels), -1, dtype=np.int64)
    order: dict[int, int] = {}
    values, counts = np.unique(labels[labels >= 0], return_counts=True)
    big = {int(v) for v, c in zip(values, counts, strict=True) if c >= min_size}
    for i, g in enumerate(labels.tolist()):
        if g in big:
            out[i] = order.setdefault(g, len(order))
    return out

"""Theme identity across periods: this week's theme is last week's when
their centroids point the same way, so a report can say "third week
running".

Matching is one-to-one and greedy on cosine similarity: the most similar
pair of (current, earlier) themes is matched first, then the next most
similar pair among those left, down to ``min_similarity``. Ties go to the
earlier position in each list, so the result is deterministic. The caller
keeps the identities (e.g. a stored theme id with its centroid and the
embedding model it came from: centroids from different models are not
comparable) and passes the earlier themes it wants matched, typically
those seen in the last few periods.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import TypeVar

import numpy as np

from nlp.clustering import unit_rows

K = TypeVar("K", bound=Hashable)

# Measured with bench/discover.py identity on two halves of the civic dev set's
# unmatched posts: see docs/discovery.md.
SAME_THEME_SIMILARITY = 0.8


def match_themes(current: Sequence[np.ndarray], earlier: Mapping[K, np.ndarray],
                 min_similarity: float = SAME_THEME_SIMILARITY
                 ) -> list[tuple[K, float] | None]:
    """For each current centroid, the earlier theme it continues and their
    cosine similarity, or None for a theme new this period."""
    out: list[tuple[K, float] | None] = [None] * len(current)
    if not len(current) or not earlier:
        return out
    keys = list(earlier)
    now, _ = unit_rows(np.vstack(current))
    before, _ = unit_rows(np.vstack([earlier[k] for k in keys]))
    if now.shape[1] != before.shape[1]:
        raise ValueError("centroids of different dimensions: different embedding models")
    sims = now @ before.T
    pairs = np.argwhere(sims >= min_similarity)
    order = sorted(pairs.tolist(), key=lambda ij: (-float(sims[ij[0], ij[1]]), ij[0], ij[1]))
    used: set[int] = set()
    for i, j in order:
        if out[i] is None and j not in used:
            out[i] = (keys[j], round(float(sims[i, j]), 4))
            used.add(j)
    return out

"""A run's themes as storage keeps them: each ``nlp.themes.Theme`` with its
members, suggestion and identity (the stored theme of an earlier period it
continues, matched by centroid with ``nlp.theme_match``)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence

import numpy as np

from nlp.config import TopicSpec
from nlp.discovery_config import DiscoverySettings
from nlp.suggestions import known_terms, suggest
from nlp.theme_match import match_themes
from nlp.themes import Theme
from storage.discovery_records import EarlierTheme, Member, StoredTheme, ThemeRecord
from storage.discovery_upkeep import FLOOR


@dataclasses.dataclass(frozen=True)
class Identity:
    identity: int
    previous_id: int | None
    previous_similarity: float | None
    first_period: str
    streak: int


def theme_records(themes: Sequence[Theme], post_ids: Sequence[int], unit: np.ndarray, *,
                  topics: Mapping[str, TopicSpec], settings: DiscoverySettings,
                  replaced: Sequence[StoredTheme], earlier: Sequence[EarlierTheme],
                  previous_end: str | None) -> list[ThemeRecord]:
    """Themes of at least ``FLOOR`` authors as records. ``post_ids[i]`` and
    ``unit[i]`` are the post and unit vector of text i; ``replaced``: the
    themes of the run this one replaces (their identities are kept);
    ``earlier``: themes of earlier periods, latest first; ``previous_end``:
    when the period just before this one ended (a theme continuing one of
    that period is one more period running)."""
    kept = [t for t in themes if t.authors is None or t.authors >= FLOOR]
    ids = identities([t.centroid for t in kept], replaced, earlier, previous_end,
                     settings.same_theme)
    labels = {slug: spec.label for slug, spec in topics.items()}
    known = known_terms(topics)
    taken: set[str] = set()
    out = []
    for rank, (theme, identity) in enumerate(zip(kept, ids, strict=True), start=1):
        advice = suggest(theme, labels, near=settings.near_topic, known=known, taken=taken)
        taken.add(advice.topic)
        shown = {m: k for k, m in enumerate(theme.representatives, start=1)}
        sims = unit[list(theme.members)] @ theme.centroid
        out.append(ThemeRecord(
            rank=rank, label=theme.label, terms=theme.terms, cohesion=theme.cohesion,
            centroid=np.asarray(theme.centroid, dtype=np.float32).tobytes(),
            members=tuple(Member(post_ids[m], round(float(s), 4), shown.get(m))
                          for m, s in zip(theme.members, sims, strict=True)),
            suggestion=dataclasses.asdict(advice),
            nearest_topic=theme.nearest_topic, topic_similarity=theme.topic_similarity,
            topic_evidence=theme.topic_evidence,
            **(dataclasses.asdict(identity) if identity else {})))
    return out


def identities(centroids: Sequence[np.ndarray], replaced: Sequence[StoredTheme],
               earlier: Sequence[EarlierTheme], previous_end: str | None,
               same_theme: float) -> list[Identity | None]:
    """Per centroid: the identity it inherits, or None for a new theme. A
    theme of the replaced run (the same period, found again) passes its
    identity on unchanged; otherwise the themes of earlier periods are
    tried one period at a time, latest first."""
    out: list[Identity | None] = [None] * len(centroids)

    def match(pending: list[int], candidates: Mapping[int, np.ndarray]) -> list[tuple[int, int,
                                                                                     float]]:
        if not pending or not candidates:
            return []
        found = match_themes([centroids[i] for i in pending], candidates, same_theme)
        return [(i, hit[0], hit[1]) for i, hit in zip(pending, found, strict=True) if hit]

    before = {t.id: t for t in replaced}
    for i, key, _ in match(list(range(len(centroids))),
                           {t.id: _vector(t.centroid) for t in replaced}):
        t = before[key]
        out[i] = Identity(t.identity, t.previous_id, t.previous_similarity, t.first_period,
                          t.streak)
    by_period: dict[str, list[EarlierTheme]] = {}
    for e in earlier:
        by_period.setdefault(e.period_end, []).append(e)
    for end in sorted(by_period, reverse=True):
        themes = {e.id: e for e in by_period[end]}
        pending = [i for i, found in enumerate(out) if found is None]
        for i, key, sim in match(pending, {k: _vector(e.centroid) for k, e in themes.items()}):
            e = themes[key]
            out[i] = Identity(e.identity, e.id, sim, e.first_period,
                              e.streak + 1 if e.period_end == previous_end else 1)
    return out


def _vector(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype=np.float32)

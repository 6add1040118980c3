"""Record types of discovery (``storage.themes``): what a run writes and
what the report, the command and the alerts read back."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

WEEK, DAY = "week", "day"  # run kinds: a report week; the seven days to a day (alerts)
OK, TOO_FEW = "ok", "too_few"  # run status: themes looked for; too few unmatched posts


@dataclass(frozen=True)
class PeriodPost:
    """One post of a period as discovery reads it. ``group`` stands for the
    author within this read only (the id of their first post in it): it is
    used to count distinct authors and to show at most one post per author,
    and is never stored."""

    id: int
    text: str
    group: int
    looked: bool  # a topic classifier has looked at the post
    topics: tuple[str, ...]  # the topics it matched


@dataclass(frozen=True)
class RunInfo:
    kind: str
    period: str
    period_start: str  # UTC ISO, half-open
    period_end: str
    model_id: str
    model_version: str
    settings_hash: str
    posts: int
    unmatched: int
    status: str
    seconds: float = 0.0
    ran_at: str = ""
    id: int = 0


@dataclass(frozen=True)
class Member:
    post_id: int
    similarity: float
    representative: int | None = None  # 1..3 for the posts shown


@dataclass(frozen=True)
class ThemeRecord:
    """A theme as a run writes it. ``size``, ``authors`` and the sentiment
    counts are computed by storage from the members."""

    rank: int
    label: str
    terms: tuple[str, ...]
    cohesion: float
    centroid: bytes  # float32 array bytes
    members: tuple[Member, ...]
    suggestion: dict[str, Any]
    identity: int | None = None  # None: a new theme (its identity is its own id)
    previous_id: int | None = None
    previous_similarity: float | None = None
    first_period: str | None = None  # None: this run's period
    streak: int = 1
    nearest_topic: str | None = None
    topic_similarity: float | None = None
    topic_evidence: str | None = None


@dataclass(frozen=True)
class BurstRecord:
    rank: int
    term: str
    baseline_mean: float
    baseline_sd: float
    threshold: float
    baseline_periods: int
    post_ids: tuple[int, ...]
    examples: tuple[int, ...]  # up to 3 of post_ids, in the order shown
    suggestion: dict[str, Any]


@dataclass(frozen=True)
class StoredTheme:
    id: int
    rank: int
    label: str
    terms: tuple[str, ...]
    size: int
    authors: int
    negative: int
    classified: int
    cohesion: float
    centroid: bytes = field(repr=False)
    nearest_topic: str | None
    topic_similarity: float | None
    topic_evidence: str | None
    suggestion: dict[str, Any]
    previous_id: int | None
    previous_similarity: float | None
    identity: int
    first_period: str
    streak: int


@dataclass(frozen=True)
class StoredBurst:
    id: int
    rank: int
    term: str
    posts: int
    authors: int
    baseline_mean: float
    baseline_sd: float
    threshold: float
    baseline_periods: int
    suggestion: dict[str, Any]


@dataclass(frozen=True)
class StoredRun:
    info: RunInfo
    themes: tuple[StoredTheme, ...]
    bursts: tuple[StoredBurst, ...]


@dataclass(frozen=True)
class EarlierTheme:
    """A stored theme that a new one may continue (same embedding model)."""

    id: int
    kind: str
    period: str
    period_end: str
    centroid: bytes = field(repr=False)
    identity: int
    first_period: str
    streak: int

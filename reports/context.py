"""What the report needs that storage cannot tell it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from reports.workhours import WorkingHours


@dataclass(frozen=True)
class ClassifierNote:
    """A classifier as its model card describes it."""

    name: str  # registered name, e.g. "sentiment.vader"
    version: str  # e.g. "v1"
    task: str = ""  # "topic", "sentiment", ...
    accuracy: float | None = None  # evaluated accuracy (or macro-F1), 0..1, when known
    evaluation: str = ""  # what it was measured on, e.g. "macro-F1 on 400 civic posts"


@dataclass(frozen=True)
class ReportContext:
    config_hash: str = ""
    pipeline_version: str = ""
    classifiers: tuple[ClassifierNote, ...] = ()
    official_handles: frozenset[str] = field(default_factory=frozenset)
    organisation: str = ""
    place_labels: Mapping[str, str] = field(default_factory=dict)  # place slug -> name
    # the "How we engaged" section (None: the section is left out)
    working_hours: WorkingHours | None = None
    waiting_after_hours: float = 8.0  # an open question older than this is waiting
    waiting_days: int = 28  # how far back open questions are listed
    discovery_baseline_weeks: int = 8  # discovery.baseline_weeks: the bursting-term test
    discovery_min_unmatched: int | None = None  # discovery.min_unmatched

"""What the report needs that storage cannot tell it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from reports.workhours import WorkingHours

# (platform, native id, stored url) -> a link to the post that names no
# account, or None where the platform has no such link
LinkForm = Callable[[str, str, "str | None"], "str | None"]


def no_links(platform: str, native_id: str, url: str | None) -> str | None:
    """Without the listener's platform registry, no post is linked."""
    return None


@dataclass(frozen=True)
class ClassifierNote:
    """A classifier as its model card describes it."""

    name: str  # registered name, e.g. "sentiment.vader"
    version: str  # e.g. "v1"
    task: str = ""  # "topic", "sentiment", ...
    accuracy: float | None = None  # the evaluated score, 0..1, when known ...
    evaluation: str = ""  # what it was measured on, e.g. "400 civic posts"
    measure: str = "accuracy"  # ... and what that score is: "macro-F1" or "accuracy"


@dataclass(frozen=True)
class ReportContext:
    config_hash: str = ""
    pipeline_version: str = ""
    classifiers: tuple[ClassifierNote, ...] = ()
    official_handles: frozenset[str] = field(default_factory=frozenset)
    organisation: str = ""
    link: LinkForm = no_links
    place_labels: Mapping[str, str] = field(default_factory=dict)  # gazetteer slug -> name
    platform_names: Mapping[str, str] = field(default_factory=dict)  # "x" -> "X"
    # the "How we engaged" section (None: the section is left out)
    working_hours: WorkingHours | None = None
    waiting_after_hours: float = 8.0  # an open question older than this is waiting
    waiting_days: int = 28  # how far back open questions are listed
    discovery_baseline_weeks: int = 8  # discovery.baseline_weeks: the bursting-term test
    discovery_min_unmatched: int | None = None  # discovery.min_unmatched

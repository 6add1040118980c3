"""The figures of the report's section "New this week: not in your topic
lists" (``reports.discovery`` fills them): what the renderers print."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # reports.figures holds a DiscoveryFigures: no import at run time
    from reports.figures import PostView

NOT_RUN = "not_run"  # run status besides storage's ok and too_few
TITLE = "New this week: not in your topic lists"


@dataclass(frozen=True)
class ThemeView:
    label: str
    terms: tuple[str, ...]
    posts: int
    authors: int
    negative: int
    classified: int  # members with a sentiment label
    negative_share: float | None  # None: under 10 (no percentage)
    negative_text: str  # the share as printed, or why there is none
    nearest_topic: str | None  # the topic's label
    topic_similarity: float | None
    topic_evidence: str | None
    running: str  # "new this week", "third week running", ...
    suggestion: str
    suggestion_kind: str  # add or new
    yaml: str
    examples: tuple[PostView, ...]


@dataclass(frozen=True)
class BurstView:
    term: str
    posts: int
    baseline_mean: float
    baseline_sd: float
    threshold: float
    baseline_periods: int
    suggestion: str
    suggestion_kind: str
    yaml: str
    examples: tuple[PostView, ...]


@dataclass
class DiscoveryFigures:
    status: str = NOT_RUN  # ok, too_few, not_run
    explanation: str = ""  # why there are no themes, when there are none
    period: str = ""
    posts: int = 0
    unmatched: int = 0
    model_id: str = ""
    themes: list[ThemeView] = field(default_factory=list)
    more_themes: int = 0  # themes found but not shown (beyond the report's limit)
    bursts: list[BurstView] = field(default_factory=list)
    more_bursts: int = 0
    test: str = ""  # the bursting-term test, in words
    methods: str = ""

    @property
    def shown(self) -> bool:
        """Whether the themes part has anything to show."""
        return bool(self.themes)

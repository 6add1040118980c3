"""The figures of one report week: what every renderer reads.

Raw counts live here (tests assert on them); suppression and wording are
applied when the figures are turned into tables and sentences.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reports.engaged import EngagedFigures

from reports.accuracy import AccuracyFigures
from reports.action_figures import ActionFigures
from reports.discovery_figures import DiscoveryFigures


@dataclass(frozen=True)
class Period:
    posts: int
    authors: int


@dataclass(frozen=True)
class SentimentSplit:
    negative: int = 0
    neutral: int = 0
    positive: int = 0
    unclassified: int = 0  # a classifier looked and gave no label
    pending: int = 0  # not classified yet

    @property
    def classified(self) -> int:
        return self.negative + self.neutral + self.positive

    def get(self, name: str) -> int:
        return int(getattr(self, name))


@dataclass(frozen=True)
class TopicRow:
    """A topic's week. Each ``*_ok`` says whether that count comes from at
    least 10 distinct authors (checked only for counts of 10 or more)."""

    slug: str
    label: str
    posts: int
    authors_ok: bool
    sentiment: SentimentSplit
    sentiment_ok: tuple[bool, bool, bool]  # negative, neutral, positive
    previous: int  # last week's posts
    previous_ok: bool
    average4: float  # mean posts over the 4 weeks before
    negative_interval: tuple[float, float] | None
    top_terms: tuple[tuple[str, int, bool], ...]  # (term, posts, authors ok)


@dataclass(frozen=True)
class PostView:
    """One post as shown: text already masked, no author pseudonym; ``url``
    is the platform's link that names no account (None where it has none)."""

    id: int
    platform: str
    created: str  # local date and time
    url: str | None
    text: str
    official_handle: str | None
    replies: int | None
    reposts: int | None
    likes: int | None


@dataclass(frozen=True)
class Trend:
    slug: str
    label: str
    counts: tuple[int, ...]  # one per week of Figures.trend_weeks
    ok: tuple[bool, ...]  # each week's count comes from at least 10 authors


@dataclass(frozen=True)
class Emerging:
    kind: str  # "topic" or "term"
    slug: str
    label: str
    term: str | None
    current: int
    baseline_mean: float
    baseline_sd: float
    threshold: float
    posts: tuple[PostView, ...]
    terms: tuple[str, ...] = ()  # unusual matched terms within a flagged topic


@dataclass(frozen=True)
class EngagementRow:
    platform: str
    posts: int
    authors_ok: bool
    # (posts where the platform gives the figure, total); (0, 0) when it never does
    replies: tuple[int, int]
    reposts: tuple[int, int]
    likes: tuple[int, int]
    quotes: tuple[int, int]


@dataclass(frozen=True)
class ConfigChange:
    config_hash: str
    loaded_at: str  # local time
    added: tuple[tuple[str, str], ...]  # (topic slug, term)
    removed: tuple[tuple[str, str], ...]
    first: bool = False  # the first config ever recorded: nothing to diff
    topics_added: tuple[str, ...] = ()  # slugs
    topics_removed: tuple[str, ...] = ()
    after_week: bool = False  # recorded after the week ended; applies through a relabel
    words: tuple[str, ...] = ()  # the change in sentences


@dataclass(frozen=True)
class Sentence:
    """One sentence of the narrative headline and the figures it prints:
    (where in the figures, the value as printed)."""

    text: str
    facts: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class StoryFlag:
    """One emerging flag inside a story."""

    flag: Emerging
    overlaps: tuple[tuple[str, int], ...]  # (other topic's label, shared posts), largest first
    spillover: bool  # not unusual without the posts it shares with the story's lead
    config_note: str  # "" or why its topic's counts are not comparable this week


@dataclass(frozen=True)
class Story:
    """Emerging flags whose posts are largely the same posts, told once."""

    lead: StoryFlag
    others: tuple[StoryFlag, ...]


@dataclass(frozen=True)
class PlaceRow:
    slug: str
    label: str
    posts: int
    authors_ok: bool
    negative: int
    classified: int  # posts with a sentiment label
    negative_ok: bool
    top_topic: str  # its label, "" when none can be shown
    top_topic_posts: int
    top_topic_ok: bool


@dataclass(frozen=True)
class ShareWeek:
    """One week of the sentiment-over-time chart."""

    week: str
    classified: int  # posts with a sentiment label
    negative: int
    ok: bool  # from at least 10 authors
    interval: tuple[float, float] | None


@dataclass(frozen=True)
class SourceCoverage:
    source: str
    posts: int
    runs_ok: int
    runs_failed: int
    runs_interrupted: int
    last_ok: str  # local time, '' when never
    stale: bool


@dataclass(frozen=True)
class RunProblem:
    source: str
    started: str
    status: str
    error: str


@dataclass(frozen=True)
class ClassifierUse:
    task: str
    name: str
    version: str
    posts: int
    accuracy: float | None  # the evaluated score, named by ``measure``
    evaluation: str
    measure: str = "accuracy"  # "macro-F1" or "accuracy"

    @property
    def score(self) -> str:
        """'macro-F1 0.71'; 'not evaluated'."""
        return (f"{self.measure} {self.accuracy:.2f}" if self.accuracy is not None
                else "not evaluated")


@dataclass
class Figures:
    week: str
    title: str
    organisation: str
    timezone: str
    window_start: str  # local ISO
    window_end: str
    generated_at: str
    config_hash: str
    pipeline_version: str
    this: Period
    previous: Period
    average4: tuple[float, float]  # (posts, authors) mean over the 4 weeks before
    sentiment_ok: tuple[bool, bool, bool]  # this week's sentiment counts from >= 10 authors
    sentiment: SentimentSplit
    sentiment_previous: SentimentSplit
    sentiment_4wk: SentimentSplit  # summed over the 4 weeks before
    topics: list[TopicRow]
    topic_unclassified: int
    topic_pending: int
    topic_previous_split: dict[str, SentimentSplit] = field(default_factory=dict)
    headline: list[str] = field(default_factory=list)  # the narrative's sentences
    narrative: list[Sentence] = field(default_factory=list)
    days: list[tuple[str, int, bool]] = field(default_factory=list)  # (day, posts, authors ok)
    platforms: list[tuple[str, int, bool]] = field(default_factory=list)
    trend_weeks: list[str] = field(default_factory=list)
    trends: list[Trend] = field(default_factory=list)
    change_weeks: list[str] = field(default_factory=list)  # weeks with a config change
    emerging: list[Emerging] = field(default_factory=list)
    emerging_test: str = ""
    engagement: list[EngagementRow] = field(default_factory=list)
    most_engaged: list[PostView] = field(default_factory=list)
    representative: list[tuple[str, str, list[PostView]]] = field(default_factory=list)
    stories: list[Story] = field(default_factory=list)
    places: list[PlaceRow] = field(default_factory=list)
    places_small: int = 0  # places with posts, each fewer than 10
    sentiment_weeks: list[ShareWeek] = field(default_factory=list)
    changes: list[ConfigChange] = field(default_factory=list)
    relabels: list[str] = field(default_factory=list)  # sentences
    regenerated: list[str] = field(default_factory=list)  # sentences: what changed since
    unlinked_platforms: list[str] = field(default_factory=list)  # no handle-free link
    sources: list[SourceCoverage] = field(default_factory=list)
    problems: list[RunProblem] = field(default_factory=list)
    classifiers: list[ClassifierUse] = field(default_factory=list)
    engaged: EngagedFigures | None = None  # "How we engaged" (reports.engaged)
    accuracy: AccuracyFigures = field(default_factory=AccuracyFigures)  # staff audits
    actions: ActionFigures = field(default_factory=ActionFigures)  # what we did, and since
    discovery: DiscoveryFigures = field(default_factory=DiscoveryFigures)  # new themes, terms

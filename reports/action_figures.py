"""The figures of "What we did and what changed since": for each action of
the last 12 weeks, its topic's posts and negative share in the 4 weeks
before and in the days since, and the sentence that says so.

Raw counts live here (tests assert on them); suppression is applied in
``shown`` and in the words, as everywhere in the report: no figure on a
count under 10 or from fewer than 10 authors, no percentage on a part or a
base under 10. The words compare two periods and never say why they
differ.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from reports.stats import MIN_COUNT, count_shown, intervals_apart, share_shown
from reports.text import FEWER, SUPPRESSED, fmt_interval, fmt_pct

ACTION_WEEKS = 12  # actions dated in the 12 weeks up to the report week's end
BEFORE_DAYS = 28  # the 4 weeks before an action

NOT_CAUSE = ("These figures compare periods before and after each action; they do not "
             "show that the action caused any change: other events, the season and what "
             "is collected all move them too.")


@dataclass(frozen=True)
class PeriodFigures:
    """One side of an action: its topic's posts over whole local days."""

    first_day: str  # local ISO date
    last_day: str  # local ISO date, inclusive
    days: int
    posts: int
    posts_ok: bool  # from at least 10 authors
    per_week: float
    per_week_interval: tuple[float, float]  # exact Poisson, 95%
    negative: int
    classified: int  # posts with a sentiment label (the share's base)
    negative_ok: bool  # the negative posts come from at least 10 authors
    negative_interval: tuple[float, float] | None  # Wilson, 95%

    @property
    def shown(self) -> bool:
        return count_shown(self.posts, self.posts_ok)

    @property
    def share_shown(self) -> bool:
        return self.shown and self.negative_ok and share_shown(self.negative, self.classified)

    @property
    def negative_share(self) -> float | None:
        return self.negative / self.classified if self.share_shown else None

    def posts_text(self) -> str:
        if self.posts == 0:
            return "no posts"
        if self.posts < MIN_COUNT:
            return f"{FEWER} posts"
        if not self.posts_ok:
            return f"posts {SUPPRESSED}"
        low, high = self.per_week_interval
        return (f"{self.posts:,} posts, {self.per_week:,.0f} a week "
                f"({low:,.0f}–{high:,.0f})")

    def share_text(self) -> str:
        if not self.shown:
            return "no negative share"
        if not self.share_shown:
            return f"negative share not given ({FEWER} negative or labelled posts, or from " \
                   f"fewer than 10 authors)"
        return f"{fmt_pct(self.negative_share)} negative ({fmt_interval(self.negative_interval)})"


@dataclass(frozen=True)
class ActionEffect:
    action_id: int
    day: str  # local ISO date the action took effect
    day_text: str  # e.g. "Thu 19 Nov 2026"
    topic: str
    topic_label: str
    place_label: str | None
    text: str
    link: str | None
    before: PeriodFigures
    since: PeriodFigures

    def volume_words(self) -> str:
        b, s = self.before, self.since
        if not (b.shown and s.shown):
            return "Too few posts to compare their number."
        if intervals_apart(b.per_week_interval, s.per_week_interval):
            more = s.per_week > b.per_week
            return f"Posts a week were {'higher' if more else 'lower'} since than before."
        return "Posts a week were about the same (the intervals overlap)."

    def share_words(self) -> str:
        b, s = self.before, self.since
        if not (b.share_shown and s.share_shown):
            return "Too few labelled posts to compare the negative share."
        if intervals_apart(b.negative_interval, s.negative_interval):
            more = (s.negative_share or 0) > (b.negative_share or 0)
            return f"The negative share was {'higher' if more else 'lower'} since than before."
        return "The negative share was about the same (the intervals overlap)."

    def title(self) -> str:
        where = f" ({self.place_label})" if self.place_label else ""
        return f"{self.topic_label}{where}: {self.text} ({self.day_text})"

    def figure_words(self) -> str:
        """The figures and the comparison, in plain words (no claim of cause)."""
        plural = "day" if self.since.days == 1 else "days"
        return (f"In the 4 weeks before: {self.before.posts_text()}; "
                f"{self.before.share_text()}. In the {self.since.days} {plural} since: "
                f"{self.since.posts_text()}; {self.since.share_text()}. "
                f"{self.volume_words()} {self.share_words()}")

    def words(self) -> str:
        return f"{self.title()}. {self.figure_words()}"


@dataclass
class ActionFigures:
    first_day: str = ""  # actions dated from this local day...
    last_day: str = ""  # ...to this one (the report week's last day)
    effects: list[ActionEffect] = field(default_factory=list)
    weeks_by_topic: dict[str, list[str]] = field(default_factory=dict)  # chart markers
    note: str = NOT_CAUSE

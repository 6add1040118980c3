"""Weekly counts and sentiment shares with 95% Wilson intervals.

A share is given only when both the part and the week's total are at least
``min_group`` (privacy.min_group_size, default 10): no percentage on counts
too small to carry one.
"""

from __future__ import annotations

from dataclasses import dataclass

from listener.query.filters import QueryFilters
from listener.query.service import QueryContext
from listener.query.weeks import Week
from reports.stats import wilson
from storage import SENTIMENTS, Store


@dataclass(frozen=True)
class Share:
    count: int
    share: float | None  # None when too small to show
    low: float | None
    high: float | None

    def text(self) -> str:
        if self.share is None or self.low is None or self.high is None:
            return f"{self.count} (too few for a %)"
        return f"{self.share:.0%} ({self.low:.0%}–{self.high:.0%})"


@dataclass(frozen=True)
class TrendWeek:
    week: str
    total: int
    shares: dict[str, Share]


def share_of(part: int, whole: int, min_group: int) -> Share:
    if part < min_group or whole < min_group:
        return Share(part, None, None, None)
    low, high = wilson(part, whole) or (0.0, 0.0)
    return Share(part, part / whole, low, high)


def trend(store: Store, ctx: QueryContext, filters: QueryFilters,
          weeks: list[Week], *, min_group: int = 10) -> list[TrendWeek]:
    """One row per week (oldest first) for the filters; their own date
    bounds are replaced by ``weeks``."""
    post_filter = filters.to_post_filter(ctx.topic_names, ctx.zone)
    with store.queries.time_limit(ctx.time_limit_ms):
        counts = store.queries.weekly_counts(post_filter, weeks)
    return [
        TrendWeek(c.week, c.total,
                  {s: share_of(getattr(c, s), c.total, min_group) for s in SENTIMENTS})
        for c in counts
    ]

"""Weekly counts and sentiment shares with 95% Wilson intervals.

A share is given only when both the part and the week's total are at least
``min_group`` (privacy.min_group_size, default 10): no percentage on counts
too small to carry one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from listener.query.filters import QueryFilters
from listener.query.service import QueryContext
from listener.query.weeks import Week
from reports.stats import wilson
from storage import SENTIMENTS, Store
from storage.timefmt import iso


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
    partial: str = ""  # "" for a whole week; else what part it holds ("so far", "from 1 Nov")


def share_of(part: int, whole: int, min_group: int) -> Share:
    if part < min_group or whole < min_group:
        return Share(part, None, None, None)
    low, high = wilson(part, whole) or (0.0, 0.0)
    return Share(part, part / whole, low, high)


def trend(store: Store, ctx: QueryContext, filters: QueryFilters,
          weeks: list[Week], *, min_group: int = 10, now: datetime | None = None,
          parts: Mapping[str, str] | None = None) -> list[TrendWeek]:
    """One row per week (oldest first) for the filters; their own date
    bounds are replaced by ``weeks`` (whose first and last may be clipped to
    a date range: ``parts`` names what such a week holds, "from 3 Nov").
    Weeks that ended before the first stored post are left out (collection
    had not begun: no zeros), and a week not over by ``now`` is "so far"."""
    post_filter = ctx.post_filter(filters)
    now_text = iso(now or datetime.now(UTC))
    with store.queries.time_limit(ctx.time_limit_ms):
        first = store.queries.first_post_at()
        weeks = [w for w in weeks if first is not None and w[2] > first]
        counts = store.queries.weekly_counts(post_filter, weeks)
    return [
        TrendWeek(c.week, c.total,
                  {s: share_of(getattr(c, s), c.total, min_group) for s in SENTIMENTS},
                  "so far" if end > now_text else (parts or {}).get(c.week, ""))
        for c, (_, _, end) in zip(counts, weeks, strict=True)
    ]

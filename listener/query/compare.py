"""This period against the last, per topic, and whether the difference in
negative share is beyond noise: Newcombe's 95% interval for the difference
of two proportions (``nlp.estimate.difference``) excludes zero."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from listener.query.filters import QueryFilters
from listener.query.service import QueryContext
from listener.query.trends import TrendWeek, trend
from listener.query.weeks import Week
from nlp.estimate.difference import Difference, newcombe
from storage import Store


@dataclass(frozen=True)
class Comparison:
    subject: str
    this: TrendWeek
    last: TrendWeek
    difference: Difference | None  # negative share, this minus last
    min_group: int

    def text(self) -> str:
        a, b = self.this, self.last
        head = (f"{self.subject}: {a.week} against {b.week}: {a.total:,} "
                f"post{'' if a.total == 1 else 's'} against {b.total:,}")
        small = min(a.shares["negative"].count, b.shares["negative"].count)
        if self.difference is None or small < self.min_group or \
                min(a.total, b.total) < self.min_group:
            return head + f"; too few posts to compare negative shares (under {self.min_group})."
        d = self.difference
        verdict = "beyond noise" if d.beyond_noise else "within noise"
        return (head + f"; negative share {b.shares['negative'].share:.0%} -> "
                f"{a.shares['negative'].share:.0%}, {d.value * 100:+.0f} points "
                f"(95% interval {d.low * 100:+.0f} to {d.high * 100:+.0f}): {verdict}.")


def compare(store: Store, ctx: QueryContext, filters: QueryFilters, weeks: list[Week], *,
            min_group: int = 10, parts: Mapping[str, str] | None = None) -> list[Comparison]:
    """For each topic filtered on (or all matching posts when none), the last
    complete week against the one before it: a week not over yet, or cut
    short by a date range (``parts``, as ``trend`` takes them), is not one."""
    slugs = filters.topic_slugs(ctx.topic_names, ctx.topic_words) or (None,)
    out = []
    for slug in slugs:
        one = replace_topics(filters, slug)
        rows = [r for r in trend(store, ctx, one, weeks, min_group=min_group, parts=parts)
                if not r.partial]
        if len(rows) < 2:
            continue
        last, this = rows[-2], rows[-1]
        difference = newcombe(this.shares["negative"].count, this.total,
                              last.shares["negative"].count, last.total)
        subject = ctx.topic_names.get(slug, slug) if slug else "All matching posts"
        out.append(Comparison(subject, this, last, difference, min_group))
    return out


def replace_topics(filters: QueryFilters, slug: str | None) -> QueryFilters:
    return filters.model_copy(update={"topics": [slug] if slug else []})


__all__ = ["Comparison", "compare"]

"""Emerging issues: topics and matched terms unusual against their own
trailing periods (the same test serves the weekly report and daily alerts)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from reports.stats import Unusual, unusual


@dataclass(frozen=True)
class Flag:
    slug: str
    term: str | None
    test: Unusual
    terms: tuple[str, ...] = ()


def running(totals: Sequence[int]) -> list[bool]:
    """Whether collection was running in each period: from the first period
    with any post on (earlier empty periods are before collection started)."""
    seen = False
    out = []
    for n in totals:
        seen = seen or n > 0
        out.append(seen)
    return out


def flags(series: Mapping[str, Sequence[int]], totals: Sequence[int],
          baseline_periods: int) -> list[tuple[str, Unusual]]:
    """Test the last value of each series against up to ``baseline_periods``
    values before it, keeping only periods when collection was running.
    Flagged series, the most unusual (highest ratio to baseline) first."""
    live = running(totals)
    last = len(totals) - 1
    window = range(max(0, last - baseline_periods), last)
    out = []
    for key, counts in series.items():
        baseline = [counts[i] for i in window if live[i]]
        result = unusual(counts[last], baseline)
        if result.flagged:
            out.append((key, result))
    out.sort(key=lambda kv: (-kv[1].ratio, -kv[1].current, kv[0]))
    return out


def emerging_flags(topics: Mapping[str, Sequence[int]], topic_totals: Sequence[int],
                   terms: Mapping[tuple[str, str], Sequence[int]], term_totals: Sequence[int],
                   baseline_periods: int, limit: int,
                   known: Callable[[str], bool]) -> list[Flag]:
    """Flagged topics (each with its flagged terms), then flagged terms of
    topics not flagged themselves, at most ``limit`` in all. Each
    ``*_totals`` (all posts per period) runs over the same periods as its
    series."""
    found = [Flag(slug, None, test)
             for slug, test in flags(topics, topic_totals, baseline_periods) if known(slug)]
    flagged = {f.slug for f in found}
    by_key = {f"{t}\x1f{w}": v for (t, w), v in terms.items()}
    within: dict[str, list[str]] = {}
    for key, test in flags(by_key, term_totals, baseline_periods):
        slug, term = key.split("\x1f", 1)
        if slug in flagged:
            within.setdefault(slug, []).append(term)
        elif known(slug):
            found.append(Flag(slug, term, test))
    return [Flag(f.slug, f.term, f.test, tuple(within.get(f.slug, ())) if f.term is None
                 else ()) for f in found[:limit]]

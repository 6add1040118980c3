"""Emerging issues: topics and matched terms unusual against their own
trailing periods (the same test serves the weekly report and daily alerts)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from nlp.unusual import Unusual, flags

__all__ = ["Flag", "emerging_flags", "flags"]  # flags: re-exported for reports.alerts


@dataclass(frozen=True)
class Flag:
    slug: str
    term: str | None
    test: Unusual
    terms: tuple[str, ...] = ()


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

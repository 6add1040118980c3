"""The headline in words: each figure against last week and the 4-week average."""

from __future__ import annotations

from reports.figures import Figures, SentimentSplit
from reports.stats import MIN_COUNT, count_shown, intervals_apart, share, wilson
from reports.text import FEWER, compare_words, fmt_count, fmt_interval, fmt_pct, pct_change
from storage import SENTIMENTS

MAX_TOPIC_LINES = 3


def _count_line(subject: str, now: int, before: int, average: float,
                now_ok: bool = True, before_ok: bool = True) -> str:
    current, previous = fmt_count(now, now_ok), fmt_count(before, before_ok)
    shown = count_shown(now, now_ok) and count_shown(before, before_ok)
    detail = f" ({pct_change(now, before)})" if shown else ""
    line = compare_words(subject, current, previous, now > before if shown else None,
                         detail=detail)
    if average >= 10 and count_shown(now, now_ok):
        line += f"; 4-week average {average:,.0f} ({pct_change(now, average)})"
    return line + "."


def _pct(value: float | None) -> str:
    return fmt_pct(value) if value is not None else f"{FEWER} posts"


def _share_line(subject: str, name: str, now: SentimentSplit, before: SentimentSplit,
                four: SentimentSplit) -> str:
    a, b = share(now.get(name), now.classified), share(before.get(name), before.classified)
    rising = None if a is None or b is None else a > b
    interval = wilson(now.get(name), now.classified) if a is not None else None
    detail = f" (95% interval {fmt_interval(interval)})" if interval is not None else ""
    line = compare_words(subject, _pct(a), _pct(b), rising, detail=detail)
    c = share(four.get(name), four.classified)
    if c is not None:
        line += f"; 4-week average {fmt_pct(c)}"
    return line + "."


def headline(fig: Figures) -> list[str]:
    avg_posts, avg_authors = fig.average4
    lines = [
        _count_line("Posts", fig.this.posts, fig.previous.posts, avg_posts,
                    fig.this.authors >= MIN_COUNT, fig.previous.authors >= MIN_COUNT),
        _count_line("Unique authors (pseudonymous count)", fig.this.authors,
                    fig.previous.authors, avg_authors),
    ]
    for name, authors_ok in zip(SENTIMENTS, fig.sentiment_ok, strict=True):
        if authors_ok:
            lines.append(_share_line(f"{name.capitalize()} share", name, fig.sentiment,
                                     fig.sentiment_previous, fig.sentiment_4wk))
    lines += _topic_lines(fig)
    return lines


def _topic_lines(fig: Figures) -> list[str]:
    """Topics whose negative share moved clearly: the 95% intervals of this
    week and last week do not overlap."""
    out = []
    for row in fig.topics:
        prev = fig.topic_previous_split.get(row.slug)
        if prev is None or not (count_shown(row.posts, row.authors_ok) and row.previous_ok
                                and row.sentiment_ok[0]):
            continue
        now_share = share(row.sentiment.negative, row.sentiment.classified)
        before_share = share(prev.negative, prev.classified)
        if now_share is None or before_share is None:
            continue
        if intervals_apart(wilson(row.sentiment.negative, row.sentiment.classified),
                           wilson(prev.negative, prev.classified)):
            out.append(compare_words(f"Negative share on {row.label}", fmt_pct(now_share),
                                     fmt_pct(before_share), now_share > before_share)
                       + " (95% intervals do not overlap).")
    return out[:MAX_TOPIC_LINES]

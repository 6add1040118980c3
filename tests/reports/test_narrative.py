"""The narrative headline: every number in its sentences is a figure of
the report, printed the same way."""

from __future__ import annotations

import re

from reports import ReportSettings, compute_figures
from reports.figures import Figures
from reports.stats import share
from reports.text import fmt_count, fmt_pct
from storage import Store
from tests.reports.builders import add
from tests.reports.conftest import CONTEXT, LABELS, NOW, week_posts

NUMBER = re.compile(r"\d+(?:,\d{3})*%?")


def printed(fig: Figures, path: str) -> str:
    """A figure as the report prints it, looked up by the sentence's own key."""
    rows = {r.slug: r for r in fig.topics}
    parts = path.split(".")
    if parts[0] == "topics":
        row = rows[parts[1]]
        if parts[2] == "negative_share":
            return fmt_pct(share(row.sentiment.negative, row.sentiment.classified))
        value = getattr(row, parts[2])
        return fmt_count(value)
    if parts[0] == "topic_previous_split":
        split = fig.topic_previous_split[parts[1]]
        return fmt_pct(share(split.negative, split.classified))
    if parts[0] in ("sentiment", "sentiment_previous"):
        split = getattr(fig, parts[0])
        return fmt_pct(share(split.negative, split.classified))
    return fmt_count(getattr(getattr(fig, parts[0]), parts[1]))


def strike_week(store: Store) -> Figures:
    """Eight quiet weeks, then a week in which bin posts jump and turn negative."""
    for k, day in enumerate(("2026-09-22", "2026-09-29", "2026-10-06", "2026-10-13",
                             "2026-10-20", "2026-10-27", "2026-11-03", "2026-11-10")):
        add(store, week_posts(day, "waste_recycling", 28, ["neutral", "negative", "positive"],
                              first_author=1000 * k))
        add(store, week_posts(day, "parks", 40, ["positive", "neutral", "negative", "neutral"],
                              first_author=1000 * k, terms=("park",)))
    add(store, week_posts("2026-11-17", "waste_recycling", 100, ["negative"] * 54 + ["neutral"]
                          * 46, first_author=50_000))
    add(store, week_posts("2026-11-17", "parks", 40, ["positive", "neutral", "negative",
                                                      "neutral"], first_author=50_000,
                          terms=("park",)))
    return compute_figures(store, "2026-W47", settings=ReportSettings(), topic_labels=LABELS,
                           context=CONTEXT, now=NOW)


def test_every_number_in_the_narrative_is_a_figure(store: Store) -> None:
    fig = strike_week(store)
    assert 2 <= len(fig.narrative) <= 3
    assert fig.headline == [s.text for s in fig.narrative]
    for sentence in fig.narrative:
        numbers = NUMBER.findall(sentence.text)
        assert numbers, sentence.text
        assert numbers == [value for _, value in sentence.facts], sentence.text
        for path, value in sentence.facts:
            assert printed(fig, path) == value, (path, sentence.text)


def test_the_story_and_the_overall_shift_in_words(store: Store) -> None:
    fig = strike_week(store)
    bins = next(r for r in fig.topics if r.slug == "waste_recycling")
    assert (bins.previous, bins.posts, bins.sentiment.negative) == (28, 100, 54)
    first, second = fig.headline[:2]
    assert first == ("The week was dominated by Bin collections: posts rose from 28 to 100, "
                     "and 54% were negative.")
    # 27% negative last week (19 of 68 with a label), 54+10 of 140 now: beyond noise
    s, p = fig.sentiment, fig.sentiment_previous
    assert second == (f"Posts overall rose from {fig.previous.posts} to {fig.this.posts}; the "
                      f"negative share rose from {fmt_pct(share(p.negative, p.classified))} to "
                      f"{fmt_pct(share(s.negative, s.classified))}, a change beyond "
                      "week-to-week noise.")

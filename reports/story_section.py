"""The emerging-issues section: flags found by the trailing-baseline test
(``reports.emerging``), the ones carried by fewer than 10 authors dropped,
then grouped into stories (``reports.stories``)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import TYPE_CHECKING

from reports.config import ReportSettings
from reports.emerging import emerging_flags
from reports.figures import ConfigChange, Emerging, PostView, Story
from reports.stats import describe_test
from reports.stories import Found, group, tell
from storage.windows import Window

if TYPE_CHECKING:
    from reports.sections import Quoter, Series


def _emerging(flag: Found, label: str, posts: tuple[PostView, ...]) -> Emerging:
    f = flag.flag
    return Emerging(kind="term" if f.term else "topic", slug=f.slug, label=label, term=f.term,
                    current=f.test.current, baseline_mean=f.test.baseline_mean,
                    baseline_sd=f.test.baseline_sd, threshold=f.test.threshold,
                    posts=posts, terms=f.terms)


def emerging_stories(series: Series, win: Window, settings: ReportSettings,
                     ok: Callable[..., bool], changes: Sequence[ConfigChange],
                     quote: Quoter) -> tuple[str, list[Emerging], list[Story]]:
    """(the test in words, every flag shown, the stories they make)."""
    last = win.periods - 1
    n_terms = len(next(iter(series.terms.values()), [0] * (settings.baseline_weeks + 1)))
    found = [
        Found(flag, frozenset(win.topic_ids(last, flag.slug, flag.term)))
        for flag in emerging_flags(series.topics, series.totals, series.terms,
                                   series.totals[-n_terms:], settings.baseline_weeks,
                                   settings.emerging_max, known=lambda s: s in series.labels)
        # an issue carried by fewer than 10 authors is not reported
        if ok(flag.test.current, topic=flag.slug, term=flag.term)
    ]
    makers = {(f.flag.slug, f.flag.term): partial(_emerging, f, series.labels[f.flag.slug])
              for f in found}
    stories = tell(group(found), win, last, series.labels, changes, makers, quote,
                   settings.posts_per_topic)
    emerging = [s.flag for story in stories for s in (story.lead, *story.others)]
    return describe_test(settings.baseline_weeks, "weeks"), emerging, stories
